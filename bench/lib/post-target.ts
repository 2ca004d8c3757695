/** What the HTTP posters send to Stop Press (1 KB updates, round-robin over stories), and how to count what was applied. */
import type { LoadResult, OpenParams } from '../gen/open-loop.ts';
import { BODY_1KB } from './payload.ts';
import type { Stack } from './stack.ts';
import { int } from './stats.ts';

export type PostTarget = Omit<OpenParams, 'rate' | 'durationMs'>;

/** `POST /api/stories/:id/updates` on one API process, cycling over the stories. */
export function postTarget(stack: Stack, origin: string, stories: { id: string }[], connections: number): PostTarget {
  return {
    origin,
    paths: stories.map((s) => `/api/stories/${s.id}/updates`),
    headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ body: BODY_1KB }),
    connections,
  };
}

/** Posts the workers have applied to these stories: the sum of their lastSeq. */
export async function appliedPosts(stack: Stack, stories: { id: string }[]): Promise<number> {
  return (await Promise.all(stories.map((s) => stack.lastSeq(s.id)))).reduce((a, b) => a + b, 0);
}

/** "202 × 21,000, 503 × 3" over several loads. */
export function statusCounts(results: LoadResult[]): string {
  const counts: Record<string, number> = {};
  for (const result of results)
    for (const [status, n] of Object.entries(result.statuses)) counts[status] = (counts[status] ?? 0) + n;
  return Object.entries(counts)
    .map(([status, n]) => `${status} × ${int(n)}`)
    .join(', ');
}
