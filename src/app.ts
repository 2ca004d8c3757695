/**
 * buildApp(deps): the Fastify instance with its plugins and routes. It never listens; main.ts
 * and the tests decide that.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { LIMITS } from './domain/limits.ts';
import type { CacheFront } from './http/cache/cache-front.ts';
import { frontedServer } from './http/cache/fronted-server.ts';
import { useJsonBodyParser } from './http/json-body-parser.ts';
import { requestIdOf } from './http/request-id.ts';
import { auth } from './http/plugins/auth.ts';
import { writeLimit } from './http/plugins/write-limit.ts';
import { queueBoard } from './http/plugins/queue-board.ts';
import { apiCors } from './http/plugins/api-cors.ts';
import { DOCUMENT_HEADERS_BUT_CSP, securityHeaders } from './http/plugins/security-headers.ts';
import { answerNotFound, errorHandler } from './http/plugins/error-handler.ts';
import { editorToolRoutes, type EditorToolsDeps } from './http/routes/editor-tools.ts';
import { editorRoutes } from './http/routes/editors.ts';
import { eventRoutes } from './http/routes/events.ts';
import { rateLimits } from './http/plugins/rate-limit.ts';
import { healthRoutes } from './http/routes/health.ts';
import { pageRoutes, type PageRoutesDeps } from './http/routes/pages.ts';
import { pushRoutes, type PushRoutesDeps } from './http/routes/push.ts';
import { RequestLog } from './http/request-log.ts';
import { serveClientFiles } from './http/static-assets.ts';
import { storyRoutes } from './http/routes/stories.ts';
import { updateRoutes } from './http/routes/updates.ts';
import type { CachedBody } from './http/cache/cached-body.ts';
import type { HotCache } from './http/cache/hot-cache.ts';
import { validatorCompiler } from './http/validation.ts';
import type { StoryOpsProducer, StoryOpsQueue } from './queue/story-ops-producer.ts';
import type { StoryEventHub } from './realtime/story-event-hub.ts';
import type { EditorStore } from './store/editor-store.ts';
import type { StoryStore } from './store/story-store.ts';

export interface AppDeps {
  logger: Logger;
  redis: Redis;
  store: StoryStore;
  editors: EditorStore;
  queue: StoryOpsQueue;
  producer: StoryOpsProducer;
  hub: StoryEventHub;
  keyPrefix: string;
  maxPinned: number;
  replayMaxEvents: number;
  push: Omit<PushRoutesDeps, 'store'>;
  pages: Omit<PageRoutesDeps, 'store' | 'front'>;
  countReaders: EditorToolsDeps['countReaders'];
  trustProxy: boolean | number | string[];
  writesPerMinute: number;
  corsOrigins: readonly string[];
  updatesCache: HotCache<CachedBody>;
  front: CacheFront;
  /** Served at /metrics. */
  metrics: Registry;
  /** Shown on the BullMQ dashboard at /admin/queues. */
  queues: Queue[];
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: LIMITS.requestBodyBytes,
    // Fastify takes a hop count too (its docs); its typings list only the other forms.
    trustProxy: deps.trustProxy as boolean | string | string[],
    requestIdHeader: false,
    genReqId: requestIdOf,
    // Repeats of cached reads are answered before Fastify routes them.
    serverFactory: (handler, options) => frontedServer(deps.front, handler, options),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    logController: new RequestLog(),
    frameworkErrors: (error, _request, reply) =>
      void (reply as FastifyReply).status(400).send({ error: { code: 'BAD_REQUEST', message: error.message } }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.addHook('preClose', (done) => {
    deps.front.stop();
    done();
  });
  // Lets an operator find a request's log lines from what a client reports.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  useJsonBodyParser(app);
  await app.register(errorHandler);
  await app.register(securityHeaders, { https: deps.pages.publicUrl.startsWith('https://') });
  await app.register(auth, { editors: deps.editors });
  await app.register(writeLimit, { redis: deps.redis, keyPrefix: deps.keyPrefix, perMinute: deps.writesPerMinute });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Stop Press API', version: '0.1.0', description: 'Live-update feeds for newsrooms' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  // Swagger UI needs inline styles; its own CSP for its static files allows just that.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    uiHooks: {
      onRequest: (_request, reply, done) => {
        reply.headers(DOCUMENT_HEADERS_BUT_CSP);
        done();
      },
    },
  });

  await app.register(rateLimits, { redis: deps.redis, nameSpace: `${deps.keyPrefix}rate-limit:` });
  await app.register(healthRoutes, { redis: deps.redis, queue: deps.queue });
  app.get(
    '/metrics',
    { schema: { tags: ['operations'], summary: 'Prometheus metrics of this API node' } },
    async (_request, reply) => reply.type(deps.metrics.contentType).send(await deps.metrics.metrics()),
  );
  await queueBoard(app, { queues: deps.queues, editors: deps.editors });
  await serveClientFiles(app);
  await app.register(pageRoutes, { store: deps.store, front: deps.front, ...deps.pages });
  await app.register(
    async (api) => {
      // API answers are live data: a CDN or browser must not reuse them unless a route says so.
      // Set up front, not in an onSend hook: one of those costs ~18 % of a small answer's req/s.
      api.addHook('onRequest', (_request, reply, done) => {
        reply.header('cache-control', 'no-store');
        done();
      });
      await apiCors(api, { corsOrigins: deps.corsOrigins });
      api.setNotFoundHandler(answerNotFound);
      await api.register(storyRoutes, { store: deps.store, producer: deps.producer });
      await api.register(updateRoutes, {
        store: deps.store,
        producer: deps.producer,
        maxPinned: deps.maxPinned,
        cache: deps.updatesCache,
        front: deps.front,
      });
      await api.register(eventRoutes, { store: deps.store, hub: deps.hub, replayMaxEvents: deps.replayMaxEvents });
      await api.register(pushRoutes, { store: deps.store, ...deps.push });
      await api.register(editorToolRoutes, { store: deps.store, countReaders: deps.countReaders });
      await api.register(editorRoutes, { store: deps.store, editors: deps.editors });
    },
    { prefix: '/api' },
  );

  return app;
}
