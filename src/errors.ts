/**
 * The error catalogue: every error a client can see has a stable code, an HTTP status and a message.
 * Errors are values (AppError), thrown or returned; the HTTP error handler and the Socket.IO acks
 * both turn them into `{ code, message }`.
 */
export const ERRORS = {
  BAD_REQUEST: { status: 400, message: 'The request is malformed' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON' },
  VALIDATION_FAILED: { status: 400, message: 'The request does not match the schema' },
  UNAUTHORIZED: { status: 401, message: 'A valid editor token is required (Authorization: Bearer <token>)' },
  FORBIDDEN: { status: 403, message: 'Your role does not allow this' },
  NOT_FOUND: { status: 404, message: 'No such route' },
  STORY_NOT_FOUND: { status: 404, message: 'No such story' },
  UPDATE_NOT_FOUND: { status: 404, message: 'No such update in this story' },
  UPDATE_DELETED: { status: 410, message: 'This update was deleted' },
  EDITOR_NOT_FOUND: { status: 404, message: 'No such editor' },
  EDITOR_EXISTS: { status: 409, message: 'An editor with this name already exists' },
  SLUG_TAKEN: { status: 409, message: 'Another story already uses this slug' },
  STORY_ENDED: { status: 409, message: 'The story has ended; reopen it to post updates' },
  PINNED_LIMIT_REACHED: { status: 409, message: 'Too many pinned updates in this story; unpin one first' },
  PUSH_ENDPOINT_REFUSED: { status: 400, message: 'The push endpoint was refused' },
  UPDATE_TOO_LARGE: { status: 413, message: 'The update body is larger than allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than allowed' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send JSON (Content-Type: application/json)' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; slow down' },
  RELOAD_REQUIRED: { status: 409, message: 'The history behind this position is gone; reload the story' },
  INTERNAL: { status: 500, message: 'Internal server error' },
  UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable; retry shortly' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

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
