/** /metrics: this API node's Prometheus metrics (src/observability/api-metrics.ts). */
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export const metricsRoute: FastifyPluginAsync<{ registry: Registry }> = async (app, { registry }) => {
  app.get(
    '/metrics',
    { schema: { tags: ['operations'], summary: 'Prometheus metrics of this API node' } },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
};
