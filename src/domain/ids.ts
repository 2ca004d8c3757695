/** New ids and epochs (server only: Node's crypto). Their shape is ID_PATTERN, in id-pattern.ts. */
import { createHash, randomBytes } from 'node:crypto';

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
