/**
 * Every Redis key name, in one place. All keys of one story share the hash tag `{<storyId>}`, so
 * the Lua scripts that change a story touch a single slot on Redis Cluster, and stories spread
 * over the slots. The other keys are global; each multi-key step on them stays in one slot
 * (story-create.ts, push/subscription-store.ts), or they share a tag (`{editors}`).
 */
export interface StoryKeys {
  /** Hash: the story's fields plus lastSeq and epoch. */
  story: string;
  /** Hash: update id → stored update JSON (deleted ones stay as tombstones). */
  updates: string;
  /** Sorted set: visible update ids scored by the seq that created them (newest = highest). */
  timeline: string;
  /** Set: ids of pinned updates. */
  pinned: string;
  /** Sorted set: ids of key-event updates, scored by creation seq. */
  keyEvents: string;
  /** Stream: the story's event log; entry id `<seq>-0`, field `e` = event JSON. */
  log: string;
  /** Hash: applied operation id → seq of its event (0 when it changed nothing). */
  ops: string;
  /** Stream: who created, posted, edited, pinned or deleted what (for editors, not readers). */
  audit: string;
  /** Hash: update id → a contributor's submission JSON, until approved (review-store.ts). */
  submissions: string;
  /** Sorted set: ids of submissions awaiting review, scored by submission time (ms). */
  reviewPending: string;
  /** Sorted set: ids of submissions sent back with a note, scored by rejection time (ms). */
  reviewRejected: string;
  /** Hash: scheduled update id → scheduled update JSON (not public until its time; scheduled-store.ts). */
  scheduled: string;
  /** Sorted set: scheduled update ids scored by their publish time in ms. */
  scheduledIndex: string;
}

export interface Keys {
  prefix: string;
  story(storyId: string): StoryKeys;
  /** String: slug → story id. */
  slug(slug: string): string;
  /** Sorted set: story ids scored by creation order (see storyCounter). */
  storyIndex: string;
  /** Counter: the creation order of stories, a unique and stable paging cursor. */
  storyCounter: string;
  /** Hash: editor name → editor JSON. */
  editors: string;
  /** Stream: editor accounts added and revoked. */
  editorAudit: string;
  /** Hash: sha256(token) → editor name. */
  editorTokens: string;
  /** Counter: one editor's writes in one minute window (http/plugins/write-limit.ts). */
  editorWrites(editorId: string, window: number): string;
  /** Socket.IO sharded adapter channel prefix (src/realtime/story-channel.ts); the workers publish with it. */
  socketIo: string;
  push: PushKeys;
  /** String: one uploaded photo's metadata JSON (alt, caption, credit, size, variants). */
  media(mediaId: string): string;
}

export interface PushKeys {
  /** Hash: the VAPID key pair, generated once. */
  vapid: string;
  /** Hash: one push subscription (endpoint, keys, topics). */
  subscription(subscriptionId: string): string;
  /** Sorted set: subscription ids of a topic, scored by subscription order (stable paging). */
  topic(topic: string): string;
  /** Counter behind the topic scores. */
  subscriptionCounter: string;
  /** Hash: subscription id → delivery state of one update's alert. */
  delivery(storyId: string, updateId: string): string;
  /** Hash: targeted / sent / failed / pruned counters of one update's alert. */
  deliveryStats(storyId: string, updateId: string): string;
  /** Hash: update id → {breaking, at} of each alert sent for the story (see push/alert-index.ts). */
  alerts(storyId: string): string;
}

export function createKeys(prefix: string): Keys {
  return {
    prefix,
    story(storyId) {
      const base = `${prefix}story:{${storyId}}`;
      return {
        story: base,
        updates: `${base}:updates`,
        timeline: `${base}:timeline`,
        pinned: `${base}:pinned`,
        keyEvents: `${base}:key-events`,
        log: `${base}:log`,
        ops: `${base}:ops`,
        audit: `${base}:audit`,
        submissions: `${base}:submissions`,
        reviewPending: `${base}:review:pending`,
        reviewRejected: `${base}:review:rejected`,
        scheduled: `${base}:scheduled`,
        scheduledIndex: `${base}:scheduled-index`,
      };
    },
    slug: (slug) => `${prefix}slug:${slug}`,
    storyIndex: `${prefix}stories`,
    storyCounter: `${prefix}stories:counter`,
    // One hash tag for the editors' state: every authenticated request reads it, so on Redis
    // Cluster it is one slot (one shard) rather than three. Older names: key-migration.ts.
    editors: `${prefix}{editors}`,
    editorAudit: `${prefix}{editors}:audit`,
    editorTokens: `${prefix}{editors}:tokens`,
    editorWrites: (editorId, window) => `${prefix}{editors}:writes:${editorId}:${window}`,
    socketIo: `${prefix}io`,
    media: (mediaId) => `${prefix}media:${mediaId}`,
    push: {
      vapid: `${prefix}push:vapid`,
      subscription: (id) => `${prefix}push:sub:${id}`,
      topic: (topic) => `${prefix}push:topic:${topic}`,
      subscriptionCounter: `${prefix}push:sub-counter`,
      delivery: (storyId, updateId) => `${prefix}push:delivery:{${storyId}}:${updateId}`,
      deliveryStats: (storyId, updateId) => `${prefix}push:stats:{${storyId}}:${updateId}`,
      alerts: (storyId) => `${prefix}push:alerts:{${storyId}}`,
    },
  };
}
