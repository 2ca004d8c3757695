/**
 * The error catalogue: every error a client can see has a stable code, an HTTP status, a message,
 * and whether the same request can succeed if simply tried again later (`retryable`). The HTTP
 * error handler and the Socket.IO acks turn errors into `{ code, message }`; the worker and the
 * reader's StoryFeed read `retryable` to decide between a retry and giving up.
 *
 * This module imports nothing: the browser bundle reads the catalogue too (client/lib/story-feed.ts).
 */
export const ERRORS = {
  BAD_REQUEST: { status: 400, retryable: false, message: 'The request is malformed' },
  INVALID_JSON: { status: 400, retryable: false, message: 'The request body is not valid JSON' },
  VALIDATION_FAILED: { status: 400, retryable: false, message: 'The request does not match the schema' },
  UNAUTHORIZED: {
    status: 401,
    retryable: false,
    message: 'A valid editor token is required (Authorization: Bearer <token>)',
  },
  FORBIDDEN: { status: 403, retryable: false, message: 'Your role does not allow this' },
  NOT_FOUND: { status: 404, retryable: false, message: 'No such route' },
  STORY_NOT_FOUND: { status: 404, retryable: false, message: 'No such story' },
  // Retryable: the API answers 202 before the worker applies a create, so an edit or delete (or a
  // read) can arrive before the update exists. The worker retries such an op until the create lands.
  UPDATE_NOT_FOUND: { status: 404, retryable: true, message: 'No such update in this story' },
  UPDATE_DELETED: { status: 410, retryable: false, message: 'This update was deleted' },
  SUBMISSION_NOT_FOUND: { status: 404, retryable: false, message: 'No such submission awaiting review' },
  // Final: a rejected submission comes back only when its contributor edits it; an approved one is published.
  SUBMISSION_NOT_PENDING: { status: 409, retryable: false, message: 'This submission is not awaiting review' },
  EDITOR_NOT_FOUND: { status: 404, retryable: false, message: 'No such editor' },
  EDITOR_EXISTS: { status: 409, retryable: false, message: 'An editor with this name already exists' },
  SLUG_TAKEN: { status: 409, retryable: false, message: 'Another story already uses this slug' },
  // Final: only an editor reopening the story changes the answer, not waiting.
  STORY_ENDED: { status: 409, retryable: false, message: 'The story has ended; reopen it to post updates' },
  // Final: only an editor unpinning another update changes the answer, not waiting.
  PINNED_LIMIT_REACHED: {
    status: 409,
    retryable: false,
    message: 'Too many pinned updates in this story; unpin one first',
  },
  // Final: the scheduled update's time came and the worker is publishing it; edit the published update.
  UPDATE_SCHEDULED: {
    status: 409,
    retryable: false,
    message: 'An update with this id is scheduled; edit it, reschedule it or cancel it instead',
  },
  UPDATE_PUBLISHING: {
    status: 409,
    retryable: false,
    message: 'This scheduled update is being published now; it can no longer be changed or cancelled',
  },
  PUSH_ENDPOINT_REFUSED: { status: 400, retryable: false, message: 'The push endpoint was refused' },
  UPDATE_TOO_LARGE: { status: 413, retryable: false, message: 'The update body is larger than allowed' },
  KEY_POINTS_TOO_LARGE: { status: 413, retryable: false, message: 'The key points are longer than allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false, message: 'The request body is larger than allowed' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    retryable: false,
    message: 'Send JSON (Content-Type: application/json)',
  },
  // Final: the same file is refused again; a smaller photo (bytes or pixels) is needed.
  MEDIA_TOO_LARGE: {
    status: 413,
    retryable: false,
    message: 'The photo is too large (file size or pixel count)',
  },
  MEDIA_UNSUPPORTED: {
    status: 415,
    retryable: false,
    message: 'Not a supported photo: send a JPEG, PNG, WebP or AVIF image',
  },
  RATE_LIMITED: { status: 429, retryable: true, message: 'Too many requests; slow down' },
  // Final for that position: asking again fails the same way. The client reloads the story instead.
  RELOAD_REQUIRED: {
    status: 409,
    retryable: false,
    message: 'The history behind this position is gone; reload the story',
  },
  // Retryable: an unexpected failure is most often a passing one (a connection dropped mid-command);
  // retries are bounded by backoff and attempts, and an error nobody recognised was always retried.
  INTERNAL: { status: 500, retryable: true, message: 'Internal server error' },
  UNAVAILABLE: { status: 503, retryable: true, message: 'The service is temporarily unavailable; retry shortly' },
} as const satisfies Record<string, { status: number; retryable: boolean; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** The codes that no retry can fix: a caller gives up (or acts) instead of trying again. */
export const FINAL_CODES: ReadonlySet<string> = new Set(
  (Object.keys(ERRORS) as ErrorCode[]).filter((code) => !ERRORS[code].retryable),
);

/** False for a code the catalogue calls final; true for a retryable one and for anything it does not know. */
export function isRetryable(code: string): boolean {
  return !FINAL_CODES.has(code);
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERRORS[code].message);
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

export function appError(code: ErrorCode, message?: string, details?: unknown): AppError {
  return new AppError(code, message, details);
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
