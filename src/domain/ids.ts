import { createHash, randomBytes } from 'node:crypto';

/** Ids are URL-safe and sortable enough to read in logs; they never contain ':' (BullMQ job ids). */
export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

export function newId(): string {
  return randomBytes(12).toString('base64url');
}

/** The same idempotency key from the same editor always names the same update. */
export function idFromIdempotencyKey(scope: string, key: string): string {
  return createHash('sha256').update(`${scope}\u0000${key}`).digest('base64url').slice(0, 22);
}

export function newEpoch(): string {
  return randomBytes(6).toString('base64url');
}
