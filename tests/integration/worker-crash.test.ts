import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from '../../src/domain/update.ts';
import { spawnNode, type NodeProcess } from '../../scripts/lib/processes.ts';
import { feedReader, seqRange } from '../helpers/readers.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { processEnv } from '../helpers/test-config.ts';

let stack: Stack;
const workers: NodeProcess[] = [];

beforeAll(async () => {
  // The API runs in-process; the workers are real processes, so one can be SIGKILLed.
  stack = await startStack({ apis: 2, workers: 0 });
});
afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL');
  await stack.close();
});

async function lastSeq(storyId: string): Promise<number> {
  return (await stack.request('GET', `/api/stories/${storyId}`)).body.lastSeq;
}

describe('a worker killed with SIGKILL during a burst of 500 posts', () => {
  it('loses nothing: the log holds exactly 500 update.created events, seq 1..500, and readers match GET /updates', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Crash test' } });
    const readers = [0, 1].map((node) => feedReader(stack.reader(stack.urls[node]), stack.urls[node]!, story.id, 0));
    await eventually(() => readers.every((r) => r.feed.isLive), 'readers live');

    const env = processEnv(stack.config, { WORKER_CONCURRENCY: '8' });
    const doomed = spawnNode('workers/main.ts', { env });
    workers.push(doomed);

    const posts: Promise<number>[] = [];
    for (let i = 0; i < 500; i++) {
      posts.push(
        stack
          .request('POST', `/api/stories/${story.id}/updates`, {
            body: { id: `burst-${i}`, body: `Burst update ${i}` },
            base: stack.urls[i % 2],
          })
          .then((r) => r.status),
      );
      if (i % 25 === 24) await Promise.all(posts.slice(-25));
      if (i === 150) {
        await eventually(async () => (await lastSeq(story.id)) > 20, 'the worker to be busy');
        doomed.kill('SIGKILL');
      }
    }
    expect((await Promise.all(posts)).filter((s) => s !== 202)).toEqual([]);
    expect((await doomed.exited).signal).toBe('SIGKILL');
    const appliedByDoomed = await lastSeq(story.id);
    expect(appliedByDoomed).toBeLessThan(500);

    workers.push(spawnNode('workers/main.ts', { env }));
    await eventually(async () => (await lastSeq(story.id)) >= 500, 'all 500 applied', 60_000);

    const events = (await stack.request('GET', `/api/stories/${story.id}/events?limit=1000`)).body.events;
    expect(events.map((e: { seq: number }) => e.seq)).toEqual(seqRange(1, 500));
    expect(events.every((e: { type: string }) => e.type === 'update.created')).toBe(true);
    expect(new Set(events.map((e: { update: { id: string } }) => e.update.id)).size).toBe(500);
    expect(await lastSeq(story.id)).toBe(500);

    const updates: Update[] = [];
    let before: string | null = null;
    do {
      const page = await stack.request(
        'GET',
        `/api/stories/${story.id}/updates?limit=100${before ? `&before=${before}` : ''}`,
      );
      updates.push(...page.body.updates);
      before = page.body.next;
    } while (before);
    expect(updates).toHaveLength(500);
    const expected = Object.fromEntries(updates.map((u) => [u.id, u]));
    await eventually(() => readers.every((r) => r.feed.position === 500), 'readers at 500');
    for (const reader of readers) {
      expect(reader.events.map((e) => e.seq)).toEqual(seqRange(1, 500));
      expect(Object.fromEntries(reader.state.updates)).toEqual(expected);
    }
  }, 120_000);
});
