/**
 * Prometheus metrics of a worker process, served on WORKER_METRICS_PORT (with /healthz): events published,
 * alerts by outcome, queue depths, and Node's own process metrics.
 */
import { createServer, type Server } from 'node:http';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { StoryEventType } from '../domain/events.ts';
import type { PushOutcome } from '../push/push-sender.ts';

export interface WorkerMetrics {
  registry: Registry;
  eventPublished(type: StoryEventType): void;
  alertOutcome(outcome: PushOutcome['kind']): void;
  /** Serves /metrics; port 0 picks a free one. */
  listen(port: number, host: string): Promise<Server>;
}

export function createWorkerMetrics(queues: Queue[]): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'stoppress_worker_' });
  const published = new Counter({
    name: 'stoppress_events_published_total',
    help: 'Story events applied and published',
    labelNames: ['type'],
    registers: [registry],
  });
  const alerts = new Counter({
    name: 'stoppress_alerts_total',
    help: 'Push messages by outcome (sent, gone, too-large, retry, failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'stoppress_queue_jobs',
    help: 'Jobs per BullMQ queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
          for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
        }),
      );
    },
  });
  return {
    registry,
    eventPublished: (type) => published.inc({ type }),
    alertOutcome: (outcome) => alerts.inc({ outcome }),
    listen(port, host) {
      const server = createServer((request, response) => {
        // Liveness that does not touch Redis, for container health checks.
        if (request.url === '/healthz') {
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
          return;
        }
        if (request.url !== '/metrics') {
          response.writeHead(404).end();
          return;
        }
        registry.metrics().then(
          (body) => response.writeHead(200, { 'content-type': registry.contentType }).end(body),
          () => response.writeHead(500).end(),
        );
      });
      return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
    },
  };
}
