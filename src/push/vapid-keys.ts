/**
 * The VAPID key pair. From config when given; otherwise generated once and kept in Redis
 * (HSETNX, so concurrent first starts agree on one pair). Never regenerated while it exists:
 * a new pair would orphan every browser subscription made with the old public key.
 */
import type { RedisClient } from '../redis/connections.ts';
import webpush from 'web-push';
import type { Logger } from 'pino';
import type { PushConfig } from '../config.ts';
import type { Keys } from '../store/keys.ts';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export async function loadVapidKeys(
  redis: RedisClient,
  keys: Keys,
  config: PushConfig,
  logger?: Logger,
): Promise<VapidKeys> {
  if (config.vapidKeys) return { ...config.vapidKeys, subject: config.vapidSubject };
  const stored = await redis.hget(keys.push.vapid, 'pair');
  if (stored)
    return { ...(JSON.parse(stored) as { publicKey: string; privateKey: string }), subject: config.vapidSubject };
  const generated = webpush.generateVAPIDKeys();
  if ((await redis.hsetnx(keys.push.vapid, 'pair', JSON.stringify(generated))) === 1) {
    logger?.warn(
      'Generated a new VAPID key pair and kept it in Redis. Normal on a first start; otherwise Redis lost its data and ' +
        'browsers subscribed before will get no alerts until they subscribe again. Set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY to pin the keys.',
    );
  }
  // Another process may have won the race: use whatever Redis kept.
  const winner = JSON.parse((await redis.hget(keys.push.vapid, 'pair')) as string) as {
    publicKey: string;
    privateKey: string;
  };
  return { ...winner, subject: config.vapidSubject };
}
