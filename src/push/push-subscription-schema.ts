/** The body of POST /api/push/subscriptions, and the key checks JSON Schema cannot express. */
import { createPublicKey } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { ID_PATTERN } from '../domain/id-pattern.ts';
import { appError } from '../errors.ts';

const BASE64URL = '^[A-Za-z0-9_-]+={0,2}$';
export const MAX_TOPICS = 20;
export const TOPIC_PATTERN = `^(breaking|story:${ID_PATTERN.slice(1, -1)})$`;

export const PushSubscriptionBody = Type.Object(
  {
    subscription: Type.Object(
      {
        endpoint: Type.String({ minLength: 8, maxLength: 2048 }),
        expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
        keys: Type.Object(
          {
            p256dh: Type.String({
              minLength: 80,
              maxLength: 100,
              pattern: BASE64URL,
              description: '65-byte uncompressed P-256 point, base64url',
            }),
            auth: Type.String({ minLength: 16, maxLength: 32, pattern: BASE64URL, description: '16 bytes, base64url' }),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    topics: Type.Array(Type.String({ pattern: TOPIC_PATTERN }), {
      minItems: 1,
      maxItems: MAX_TOPICS,
      uniqueItems: true,
      description: '"story:<storyId>" for one story, "breaking" for all breaking news',
    }),
  },
  { additionalProperties: false },
);
export type PushSubscriptionBody = Static<typeof PushSubscriptionBody>;

export const PushUnsubscribeBody = Type.Object(
  {
    endpoint: Type.String({ minLength: 8, maxLength: 2048 }),
  },
  { additionalProperties: false },
);

/** p256dh must be a point on P-256 (so we can encrypt to it), auth exactly 16 bytes. */
export function checkSubscriptionKeys(keys: { p256dh: string; auth: string }): void {
  const point = Buffer.from(keys.p256dh, 'base64url');
  if (point.length !== 65 || point[0] !== 0x04) {
    throw appError('VALIDATION_FAILED', 'keys.p256dh must be a 65-byte uncompressed P-256 public key');
  }
  try {
    // Importing the key checks that the point lies on the curve.
    createPublicKey({
      format: 'jwk',
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
      },
    });
  } catch {
    throw appError('VALIDATION_FAILED', 'keys.p256dh is not a point on the P-256 curve');
  }
  if (Buffer.from(keys.auth, 'base64url').length !== 16) {
    throw appError('VALIDATION_FAILED', 'keys.auth must be 16 bytes');
  }
}
