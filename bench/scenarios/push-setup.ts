/** Setting up the push scenario: subscriptions straight into Redis. */
import { createSubscriptionStore } from '../../src/push/subscription-store.ts';
import { endpointOf, loadPushKeys } from '../lib/push-keys.ts';
import type { Stack } from '../lib/stack.ts';

export interface ReceiverStatus {
  total: number;
  distinct: number;
  duplicates: number;
  verified: number;
  verifyFailures: string[];
  lastPayload: string;
}

/**
 * Subscriber i follows story k when i < sizes[k]: the first 10k follow every story, so one set of
 * 100k subscriptions serves both sizes. Inserted with the store the API uses, 256 at a time.
 */
export async function insertSubscriptions(
  stack: Stack,
  origin: string,
  sizes: number[],
  storyIds: string[],
): Promise<void> {
  const largest = Math.max(...sizes);
  const keys = loadPushKeys(largest);
  const store = createSubscriptionStore(stack.redis, stack.keys);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < largest) {
      const i = next++;
      const topics = storyIds.filter((_, k) => i < sizes[k]!).map((id) => `story:${id}`);
      await store.upsert({ endpoint: endpointOf(origin, i), p256dh: keys[i]!.p256dh, auth: keys[i]!.auth }, topics);
    }
  };
  await Promise.all(Array.from({ length: 256 }, lane));
}
