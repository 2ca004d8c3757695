/** Liveness (/healthz: the process answers) and readiness (/readyz: Redis and the queue answer). */
import type { FastifyPluginAsync } from 'fastify';
import type { RedisClient } from '../../redis/connections.ts';
import type { StoryOpsQueue } from '../../queue/story-ops-producer.ts';

export interface HealthDeps {
  redis: RedisClient;
  queue: StoryOpsQueue;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes: FastifyPluginAsync<HealthDeps> = async (app, { redis, queue }) => {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness' } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'Readiness: Redis and the queue reachable' } },
    async (_request, reply) => {
      const checks: Record<string, string> = {};
      await Promise.all([
        withTimeout(redis.ping(), 1_000).then(
          () => {
            checks.redis = 'ok';
          },
          (e: Error) => {
            checks.redis = e.message;
          },
        ),
        withTimeout(queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), 1_000).then(
          (counts) => {
            checks.queue = 'ok';
            Object.assign(
              checks,
              Object.fromEntries(Object.entries(counts).map(([k, v]) => [`queue.${k}`, String(v)])),
            );
          },
          (e: Error) => {
            checks.queue = e.message;
          },
        ),
      ]);
      const ready = checks.redis === 'ok' && checks.queue === 'ok';
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
    },
  );
};
