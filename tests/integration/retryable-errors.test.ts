/**
 * What the error catalogue's `retryable` means where it is read: the worker retries a story op
 * that failed with a retryable error and gives up at once on a final one; the reader's StoryFeed
 * subscribes again after a retryable refusal and goes offline after a final one.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReaderSocket } from '../../client/lib/story-feed.ts';
import type { ErrorCode } from '../../src/errors.ts';
import { createStoryOpsProducer, createStoryOpsQueue, type StoryOpsQueue } from '../../src/queue/story-ops-producer.ts';
import { bullmqConnection } from '../../src/redis/connections.ts';
import { feedReader } from '../helpers/readers.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let queue: StoryOpsQueue;

beforeAll(async () => {
  stack = await startStack();
  queue = createStoryOpsQueue(
    bullmqConnection(stack.config.redis.topology, 'worker').connection,
    stack.config.queuePrefix,
  );
});

afterAll(async () => {
  await queue.close();
  await stack.close();
});

describe('the worker', () => {
  async function editJob(storyId: string, updateId: string) {
    const opId = `edit-${updateId}`;
    const jobId = await createStoryOpsProducer(queue).enqueue({
      kind: 'update.edit',
      storyId,
      updateId,
      opId,
      author: 'tester',
      acceptedAt: new Date().toISOString(),
      fields: { body: 'Edited' },
    });
    return (await queue.getJob(jobId))!;
  }

  it('gives up at once on a final error (the story does not exist)', async () => {
    const job = await editJob('no-such-story', 'u1');
    await eventually(async () => (await job.getState()) === 'failed', 'the job failed');
    const failed = (await queue.getJob(job.id!))!;
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/^STORY_NOT_FOUND/);
  });

  it('retries a retryable error (an edit that ran ahead of its create) until the create lands', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Retry story' } });
    const job = await editJob(story.id, 'late');
    await eventually(async () => ((await queue.getJob(job.id!))?.attemptsMade ?? 0) >= 2, 'a second attempt');
    expect(await job.getState()).not.toBe('failed');
    const created = await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'late', body: 'First' },
    });
    expect(created.status).toBe(202);
    await eventually(async () => (await job.getState()) === 'completed', 'the edit applied', 60_000);
    const update = await stack.request('GET', `/api/stories/${story.id}/updates/late`);
    expect(update.body.body).toBe('Edited');
  });
});

describe('the reader', () => {
  let http: HttpServer;
  let io: SocketServer;
  let url: string;
  /** The code the scripted server refuses every subscribe with, and how many it has refused. */
  let refuseWith: ErrorCode = 'UNAVAILABLE';
  let subscribes = 0;

  beforeAll(async () => {
    http = createServer();
    io = new SocketServer(http);
    io.on('connection', (socket) => {
      socket.on('subscribe', (_message, ack: (reply: unknown) => void) => {
        subscribes++;
        ack({ ok: false, error: { code: refuseWith, message: 'scripted refusal' } });
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await io.close();
  });

  async function readerRefusedWith(code: ErrorCode) {
    refuseWith = code;
    subscribes = 0;
    const socket: ReaderSocket = connect(url, { transports: ['websocket'] });
    const reader = feedReader(socket, url, 'story-x');
    await eventually(() => subscribes >= 1, 'the first subscribe');
    return { socket, reader };
  }

  it('subscribes again after a retryable refusal (UNAVAILABLE)', async () => {
    const { socket, reader } = await readerRefusedWith('UNAVAILABLE');
    await eventually(() => subscribes >= 2, 'a second subscribe');
    expect(reader.statuses).toContain('reconnecting');
    expect(reader.statuses).not.toContain('offline');
    reader.feed.stop();
    socket.disconnect();
  });

  it('goes offline after a final refusal (VALIDATION_FAILED) and does not ask again', async () => {
    const { socket, reader } = await readerRefusedWith('VALIDATION_FAILED');
    await eventually(() => reader.statuses.includes('offline'), 'offline');
    // Longer than the first retry's backoff (at most 500 ms): a retry would have subscribed again.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(subscribes).toBe(1);
    expect(reader.statuses).not.toContain('reconnecting');
    reader.feed.stop();
    socket.disconnect();
  });
});
