import { describe, expect, it } from 'vitest';
import type { StoryEvent } from '../../src/domain/events.ts';
import { EventSequencer } from '../../src/domain/sequencer.ts';

function event(seq: number): StoryEvent {
  return { storyId: 's', seq, epoch: 'e', type: 'update.created', at: new Date(0).toISOString() };
}

function sequencerOver(log: StoryEvent[], after = 0) {
  const delivered: number[] = [];
  const fetches: number[] = [];
  const sequencer = new EventSequencer(
    after,
    async (from) => {
      fetches.push(from);
      return log.filter((e) => e.seq > from);
    },
    (e) => delivered.push(e.seq),
  );
  return { sequencer, delivered, fetches };
}

describe('EventSequencer', () => {
  it('delivers in-order events as they come', async () => {
    const { sequencer, delivered, fetches } = sequencerOver([]);
    for (const seq of [1, 2, 3]) await sequencer.push(event(seq));
    expect(delivered).toEqual([1, 2, 3]);
    expect(fetches).toEqual([]);
  });

  it('drops duplicates and events it has already passed', async () => {
    const { sequencer, delivered } = sequencerOver([]);
    for (const seq of [1, 1, 2, 1, 2, 3]) await sequencer.push(event(seq));
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('fills a gap from the log, then drops the late original', async () => {
    const log = [1, 2, 3, 4].map(event);
    const { sequencer, delivered, fetches } = sequencerOver(log, 1);
    await sequencer.push(event(4));
    await sequencer.push(event(2));
    await sequencer.push(event(3));
    expect(delivered).toEqual([2, 3, 4]);
    expect(fetches).toEqual([1]);
    expect(sequencer.position).toBe(4);
  });

  it('rejects the push whose gap the log cannot fill, and keeps working afterwards', async () => {
    const { sequencer, delivered } = sequencerOver([event(1)]);
    await expect(sequencer.push(event(3))).rejects.toThrow(/not in the log/);
    expect(delivered).toEqual([1]);
    await sequencer.push(event(2));
    expect(delivered).toEqual([1, 2]);
  });
});
