/**
 * The worker's push sender, built from the config: VAPID keys (made once, kept in Redis), the
 * threads that encrypt alerts (unless PUSH_ENCRYPT_THREADS is 0) and the bounded sender.
 */
import type { RedisClient } from '../src/redis/connections.ts';
import type { Logger } from 'pino';
import type { Config } from '../src/config.ts';
import { EncryptPool } from '../src/push/encrypt-pool.ts';
import { PushSender } from '../src/push/push-sender.ts';
import { VapidAuthCache } from '../src/push/vapid-auth-cache.ts';
import { loadVapidKeys } from '../src/push/vapid-keys.ts';
import type { Keys } from '../src/store/keys.ts';

export interface PushSending {
  sender: PushSender;
  encryptPool: EncryptPool | undefined;
}

function createEncryptPool(config: Config, logger: Logger): EncryptPool | undefined {
  if (config.push.encryptThreads === 0) return undefined;
  return new EncryptPool({
    size: config.push.encryptThreads,
    onThreadExit: ({ threadId, exitCode, error, lostMessages }) =>
      logger.error(
        { threadId, exitCode, err: error, lostMessages },
        'push encrypt thread stopped; replaced, its messages retried',
      ),
  });
}

export async function createPushSending(
  config: Config,
  redis: RedisClient,
  keys: Keys,
  logger: Logger,
): Promise<PushSending> {
  const vapid = await loadVapidKeys(redis, keys, config.push, logger);
  const encryptPool = createEncryptPool(config, logger);
  const sender = new PushSender({
    vapid: new VapidAuthCache(vapid),
    concurrency: config.push.concurrency,
    perOriginConcurrency: config.push.perOriginConcurrency,
    timeoutMs: config.push.timeoutMs,
    allowlist: config.push.endpointAllowlist,
    encryptPool,
  });
  return { sender, encryptPool };
}
