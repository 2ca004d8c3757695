/**
 * The orchestrator's handle on the reader generator processes (gen/readers.ts): splits N readers
 * across them and merges what they report.
 */
import type { StoryEvent } from '../../src/domain/events.ts';
import type { ConnectParams, ConnectResult } from '../gen/readers.ts';
import { forkBench, stopProcess } from './procs.ts';
import { Remote } from './rpc.ts';

export class ReaderPool {
  private constructor(private readonly remotes: Remote[]) {}

  static async start(processes: number): Promise<ReaderPool> {
    const remotes = Array.from(
      { length: processes },
      (_, i) => new Remote(forkBench('gen/readers.ts'), `readers-${i}`),
    );
    await Promise.all(remotes.map((r) => r.ready));
    return new ReaderPool(remotes);
  }

  pids(): number[] {
    return this.remotes.map((r) => r.child.pid!);
  }

  /** `url`: one server, or several, generator process i connecting its readers to url[i mod n]. */
  async connect(
    params: Omit<ConnectParams, 'count' | 'url'> & { total: number; url: string | string[] },
  ): Promise<ConnectResult> {
    const { total, url, ...rest } = params;
    const urls = typeof url === 'string' ? [url] : url;
    const n = this.remotes.length;
    const results = await Promise.all(
      this.remotes.map((remote, i) => {
        const count = Math.floor(total / n) + (i < total % n ? 1 : 0);
        const params = { ...rest, url: urls[i % urls.length]!, count } satisfies ConnectParams;
        return remote.call<ConnectResult>('connect', params, 300_000 + rest.rampMs);
      }),
    );
    return {
      connected: results.reduce((sum, r) => sum + r.connected, 0),
      failed: results.reduce((sum, r) => sum + r.failed, 0),
      errors: results.flatMap((r) => r.errors).slice(0, 5),
      readyMs: results.flatMap((r) => r.readyMs),
      lastReadyAt: Math.max(...results.map((r) => r.lastReadyAt)),
    };
  }

  /** Arrival times (absolute, lib/clock.ts) of one event at every reader, and how many missed it. */
  async waitFor(key: string, timeoutMs: number): Promise<{ times: number[]; missing: number }> {
    const results = await Promise.all(
      this.remotes.map((r) =>
        r.call<{ times: number[]; missing: number }>('waitFor', { key, timeoutMs }, timeoutMs + 30_000),
      ),
    );
    return { times: results.flatMap((r) => r.times), missing: results.reduce((sum, r) => sum + r.missing, 0) };
  }

  async gaps(from: number, to: number): Promise<{ complete: number; incomplete: number }> {
    const results = await Promise.all(
      this.remotes.map((r) => r.call<{ complete: number; incomplete: number }>('gaps', { from, to })),
    );
    return {
      complete: results.reduce((s, r) => s + r.complete, 0),
      incomplete: results.reduce((s, r) => s + r.incomplete, 0),
    };
  }

  /** Readers that failed or dropped since connect, with a few messages. */
  async errors(): Promise<{ failed: number; errors: string[] }> {
    const results = await Promise.all(this.remotes.map((r) => r.call<{ failed: number; errors: string[] }>('errors')));
    return { failed: results.reduce((s, r) => s + r.failed, 0), errors: results.flatMap((r) => r.errors).slice(0, 5) };
  }

  async sample(): Promise<StoryEvent | null> {
    for (const remote of this.remotes) {
      const event = await remote.call<StoryEvent | null>('sample');
      if (event) return event;
    }
    return null;
  }

  async disconnect(): Promise<void> {
    await Promise.all(this.remotes.map((r) => r.call('disconnect', {}, 60_000)));
  }

  async close(): Promise<void> {
    await Promise.all(this.remotes.map((r) => stopProcess(r.child, 5_000)));
  }
}
