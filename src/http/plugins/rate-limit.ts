/**
 * Per-IP rate limits, counted in Redis so that every API node shares them. Off by default;
 * routes opt in with `config: { rateLimit: { max, timeWindow } }`.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RedisClient } from '../../redis/connections.ts';
import { appError } from '../../errors.ts';

async function rateLimitPlugin(
  app: FastifyInstance,
  options: { redis: RedisClient; nameSpace: string },
): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    redis: options.redis,
    nameSpace: options.nameSpace,
    // A Redis hiccup must not turn into refused subscriptions.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      Object.assign(appError('RATE_LIMITED', `Too many requests; retry in ${context.after}`), { statusCode: 429 }),
  });
}

export const rateLimits = fp(rateLimitPlugin, { name: 'rate-limits' });
