/**
 * Prometheus metrics of an API node, served at /metrics: connected readers, story events seen
 * from Redis pub/sub, accept-to-delivery latency, queue depths, reads the cache front answered,
 * and Node's own process metrics.
 */
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StoryEvent } from '../domain/events.ts';

export interface ApiMetrics {
  registry: Registry;
  /** Called for every story event this node receives for broadcasting. */
  eventDelivered(event: StoryEvent): void;
}

export function createApiMetrics(options: {
  connectedReaders: () => number;
  cacheFrontAnswers: () => number;
  queues: Queue[];
}): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'stoppress_api_' });
  new Gauge({
    name: 'stoppress_connected_readers',
    help: 'Socket.IO readers connected to this API node',
    registers: [registry],
    collect() {
      this.set(options.connectedReaders());
    },
  });
  new Counter({
    name: 'stoppress_cache_front_answers_total',
    help: 'Repeated hot reads this node answered from the cache front, before Fastify',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(options.cacheFrontAnswers());
    },
  });
  const events = new Counter({
    name: 'stoppress_events_delivered_total',
    help: 'Story events this node received to broadcast to its readers',
    labelNames: ['type'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'stoppress_accept_to_delivery_seconds',
    help: 'From the API accepting a change (202) to this node broadcasting its event to readers',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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
        options.queues.map(async (queue) => {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
          for (const [state, count] of Object.entries(counts)) this.set({ queue: queue.name, state }, count);
        }),
      );
    },
  });
  return {
    registry,
    eventDelivered(event) {
      events.inc({ type: event.type });
      const accepted = Date.parse(event.at);
      if (!Number.isNaN(accepted)) latency.observe(Math.max(0, (Date.now() - accepted) / 1000));
    },
  };
}
