/**
 * The queue map is real: a payload sent to the wrong queue, or a processor registered for the
 * wrong queue, fails the typecheck. Each `@ts-expect-error` below marks such a swap; should the
 * typing loosen, the directive goes unused, which is itself a type error, so `npm run typecheck`
 * fails. The runtime tests check that the map's names are what BullMQ sees.
 */
import type { Worker, WorkerOptions } from 'bullmq';
import { pino } from 'pino';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  QUEUES,
  type JobData,
  type PushBatchJob,
  type PushFanoutJob,
  type QueueName,
  type StoryOpJob,
} from '../../src/queue/jobs.ts';
import { createPushQueues, enqueueBatches, enqueueFanout } from '../../src/queue/push-queues.ts';
import { createStoryOpsQueue } from '../../src/queue/story-ops-producer.ts';
import { startWorker, type QueueProcessors, type TypedQueue } from '../../src/queue/typed-queue.ts';
import { bullmqConnection } from '../../src/redis/connections.ts';
import type { createBatchProcessor } from '../../workers/push-batch.worker.ts';
import type { createFanoutProcessor } from '../../workers/push-fanout.worker.ts';
import type { createPublishProcessor } from '../../workers/publish.worker.ts';
import type { createScheduledPublishProcessor } from '../../workers/scheduled-publish.ts';
import { createWorkerNode } from '../../workers/worker-node.ts';
import { testConfig } from '../helpers/test-config.ts';

interface Queues {
  storyOps: TypedQueue<'story-ops'>;
  fanout: TypedQueue<'push-fanout'>;
  batch: TypedQueue<'push-batch'>;
}

interface Processors {
  publish: ReturnType<typeof createPublishProcessor>;
  fanout: ReturnType<typeof createFanoutProcessor>;
  batch: ReturnType<typeof createBatchProcessor>;
  scheduled: ReturnType<typeof createScheduledPublishProcessor>;
}

interface Jobs {
  storyOp: StoryOpJob;
  fanout: PushFanoutJob;
  batch: PushBatchJob;
}

/** Never called: only the typecheck reads it. Each correct line stands beside its swapped twin. */
export function swappedPairsFailTheTypecheck(
  queues: Queues,
  processors: Processors,
  jobs: Jobs,
  options: WorkerOptions,
) {
  // The API side: adding jobs.
  void queues.storyOps.add('update.create', jobs.storyOp);
  // @ts-expect-error a fan-out payload sent to the story-ops queue
  void queues.storyOps.add('fanout', jobs.fanout);
  // @ts-expect-error a batch payload sent to the fan-out queue
  void queues.fanout.add('fanout', jobs.batch);
  // @ts-expect-error a story op sent to the batch queue
  void queues.batch.add('batch', jobs.storyOp);
  void enqueueFanout(queues.fanout, jobs.fanout);
  // @ts-expect-error the batch queue handed over where the fan-out queue belongs
  void enqueueFanout(queues.batch, jobs.fanout);
  void enqueueBatches(queues.batch, [{ jobId: 'b', data: jobs.batch }]);
  // @ts-expect-error the fan-out queue handed over where the batch queue belongs
  void enqueueBatches(queues.fanout, [{ jobId: 'b', data: jobs.batch }]);

  // The worker side: registering processors.
  startWorker(QUEUES.pushFanout, processors.fanout, options);
  // @ts-expect-error the fan-out processor registered for the batch queue
  startWorker(QUEUES.pushBatch, processors.fanout, options);
  // @ts-expect-error the publish processor registered for the fan-out queue
  startWorker(QUEUES.pushFanout, processors.publish, options);
  const wired: QueueProcessors = {
    [QUEUES.storyOps]: { processor: processors.publish, concurrency: 1 },
    [QUEUES.pushFanout]: { processor: processors.fanout, concurrency: 1 },
    [QUEUES.pushBatch]: { processor: processors.batch, concurrency: 1 },
    [QUEUES.scheduledPublish]: { processor: processors.scheduled, concurrency: 1 },
  };
  const swapped: QueueProcessors = {
    [QUEUES.storyOps]: { processor: processors.publish, concurrency: 1 },
    // @ts-expect-error the batch processor registered for the fan-out queue
    [QUEUES.pushFanout]: { processor: processors.batch, concurrency: 1 },
    // @ts-expect-error the fan-out processor registered for the batch queue
    [QUEUES.pushBatch]: { processor: processors.fanout, concurrency: 1 },
    [QUEUES.scheduledPublish]: { processor: processors.scheduled, concurrency: 1 },
  };
  // @ts-expect-error a queue of the map left without a processor
  const missing: QueueProcessors = { [QUEUES.storyOps]: { processor: processors.publish, concurrency: 1 } };
  return [wired, swapped, missing];
}

describe('the queue map', () => {
  it('names each queue once, and every name is a key of the map', () => {
    const names = Object.values(QUEUES);
    expect(new Set(names).size).toBe(names.length);
    expectTypeOf<(typeof QUEUES)[keyof typeof QUEUES]>().toEqualTypeOf<QueueName>();
    expectTypeOf<JobData<'push-fanout'>>().toEqualTypeOf<PushFanoutJob>();
  });

  it('opens each queue under its own name of the map', async () => {
    const config = testConfig();
    const connection = bullmqConnection(config.redis.topology, 'worker').connection;
    const storyOps = createStoryOpsQueue(connection, config.queuePrefix);
    const push = createPushQueues(connection, config.queuePrefix);
    try {
      expect([storyOps.name, push.fanout.name, push.batch.name]).toEqual([
        QUEUES.storyOps,
        QUEUES.pushFanout,
        QUEUES.pushBatch,
      ]);
    } finally {
      await Promise.all([storyOps.close(), push.fanout.close(), push.batch.close()]);
    }
  });

  it('gives a worker node one worker per queue of the map', async () => {
    const node = await createWorkerNode(testConfig({ PUSH_ENCRYPT_THREADS: '0' }), pino({ level: 'silent' }));
    try {
      const names = node.workers.map((worker: Worker) => worker.name);
      expect(names.sort()).toEqual(Object.values(QUEUES).sort());
    } finally {
      await node.close();
    }
  });
});
