/** Input limits shared by the route schemas, the Socket.IO schemas and the docs. */
export const LIMITS = {
  storyTitle: 200,
  storySummary: 2_000,
  slug: 80,
  updateTitle: 200,
  /** 64 KiB of Markdown, counted in UTF-8 bytes. */
  updateBodyBytes: 64 * 1024,
  /** A story's "What we know" list: 4 KiB of Markdown, counted in UTF-8 bytes. */
  keyPointsBytes: 4 * 1024,
  /** Anything above this is rejected by Fastify before parsing. */
  requestBodyBytes: 256 * 1024,
  id: 64,
  storiesPerPage: 100,
  updatesPerPage: 100,
  eventsPerPage: 1_000,
} as const;
