/**
 * buildApp(deps): the Fastify instance with its plugins and routes. It never listens; main.ts
 * and the tests decide that.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Queue } from 'bullmq';
import type { RedisClient } from './redis/connections.ts';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { LIMITS } from './domain/limits.ts';
import { frontedServer } from './http/cache/fronted-server.ts';
import type { ReadCaches } from './http/cache/read-caches.ts';
import { useJsonBodyParser } from './http/json-body-parser.ts';
import { requestIdOf } from './http/request-id.ts';
import { apiDocs } from './http/plugins/api-docs.ts';
import { auth } from './http/plugins/auth.ts';
import { clientFiles } from './http/plugins/client-files.ts';
import { errorHandler } from './http/plugins/error-handler.ts';
import { metricsRoute } from './http/plugins/metrics.ts';
import { queueBoard } from './http/plugins/queue-board.ts';
import { rateLimits } from './http/plugins/rate-limit.ts';
import { replicatedWrites } from './http/plugins/replicated-writes.ts';
import { securityHeaders } from './http/plugins/security-headers.ts';
import { writeLimit } from './http/plugins/write-limit.ts';
import { createKeys } from './store/keys.ts';
import { RequestLog } from './http/request-log.ts';
import { apiRoutes, type ApiRoutesDeps } from './http/routes/api.ts';
import { healthRoutes } from './http/routes/health.ts';
import { mediaFileRoutes } from './http/routes/media-files.ts';
import { pageRoutes, type PageRoutesDeps } from './http/routes/pages.ts';
import { validatorCompiler } from './http/validation.ts';
import type { StoryOpsQueue } from './queue/story-ops-producer.ts';
import { queueConnection } from './queue/typed-queue.ts';
import type { ReplicaWait } from './redis/wait-replicas.ts';

export interface AppDeps extends Omit<ApiRoutesDeps, 'updatesCache' | 'front'> {
  logger: Logger;
  redis: RedisClient;
  queue: StoryOpsQueue;
  keyPrefix: string;
  pages: Omit<PageRoutesDeps, 'store' | 'cache' | 'front'>;
  caches: ReadCaches;
  trustProxy: boolean | number | string[];
  writesPerMinute: number;
  /** Served at /metrics. */
  metrics: Registry;
  /** Shown on the BullMQ dashboard at /admin/queues. */
  queues: Queue[];
  /** REDIS_WAIT_REPLICAS: write requests are answered once replicas hold them (none: never waits). */
  replicas?: ReplicaWait;
}

function createFastify(deps: AppDeps) {
  return Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: LIMITS.requestBodyBytes,
    // Fastify takes a hop count too (its docs); its typings list only the other forms.
    trustProxy: deps.trustProxy as boolean | string | string[],
    requestIdHeader: false,
    genReqId: requestIdOf,
    // Repeats of cached reads are answered before Fastify routes them.
    serverFactory: (handler, options) => frontedServer(deps.caches.front, handler, options),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    logController: new RequestLog(),
    frameworkErrors: (error, _request, reply) =>
      void (reply as FastifyReply).status(400).send({ error: { code: 'BAD_REQUEST', message: error.message } }),
  }).withTypeProvider<TypeBoxTypeProvider>();
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { store, caches } = deps;
  const app = createFastify(deps);
  app.setValidatorCompiler(validatorCompiler);
  app.addHook('preClose', (done) => {
    caches.front.stop();
    done();
  });
  // Lets an operator find a request's log lines from what a client reports.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  useJsonBodyParser(app);
  await app.register(errorHandler);
  if (deps.replicas) {
    const queueClients = () => Promise.all(deps.queues.map(queueConnection));
    await app.register(replicatedWrites, {
      replicas: deps.replicas,
      connections: async () => [deps.redis, ...(await queueClients())],
    });
  }
  await app.register(securityHeaders, { https: deps.pages.publicUrl.startsWith('https://') });
  await app.register(auth, { editors: deps.editors });
  await app.register(writeLimit, {
    redis: deps.redis,
    keys: createKeys(deps.keyPrefix),
    perMinute: deps.writesPerMinute,
  });
  await app.register(apiDocs);
  await app.register(rateLimits, { redis: deps.redis, nameSpace: `${deps.keyPrefix}rate-limit:` });
  await app.register(healthRoutes, { redis: deps.redis, queue: deps.queue });
  await app.register(metricsRoute, { registry: deps.metrics });
  await app.register(queueBoard, { queues: deps.queues, editors: deps.editors });
  await app.register(clientFiles);
  await app.register(mediaFileRoutes, { storage: deps.media.storage });
  await app.register(pageRoutes, { store, cache: caches.pages, front: caches.front, ...deps.pages });
  await app.register(apiRoutes, {
    prefix: '/api',
    store,
    editors: deps.editors,
    review: deps.review,
    producer: deps.producer,
    hub: deps.hub,
    maxPinned: deps.maxPinned,
    replayMaxEvents: deps.replayMaxEvents,
    corsOrigins: deps.corsOrigins,
    push: deps.push,
    countReaders: deps.countReaders,
    updatesCache: caches.updates,
    front: caches.front,
    media: deps.media,
    scheduling: deps.scheduling,
    embeds: deps.embeds,
  });
  return app;
}
