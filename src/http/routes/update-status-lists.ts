/**
 * `GET /api/stories/:id/updates?status=…`: the updates editors see and readers do not, one reader
 * function per status. Another status is one more entry in STATUS_LISTS (and in its schema).
 */
import { Type, type Static } from 'typebox';
import { ScheduledUpdate, type ScheduledUpdate as ScheduledValue } from '../../domain/scheduled-update.ts';
import type { Story } from '../../domain/story.ts';
import type { ScheduledStore } from '../../store/scheduled-store.ts';

export interface StatusListDeps {
  scheduled: ScheduledStore;
}

/** The statuses a list can be asked for; each has its reader in STATUS_LISTS (the typecheck sees to it). */
export const ListStatusQuery = Type.Union([Type.Literal('scheduled')], {
  description: 'Editors only (token required): the updates of this status instead of the public list',
});
export type ListStatus = Static<typeof ListStatusQuery>;

export const STATUS_LISTS: Record<ListStatus, (deps: StatusListDeps, story: Story) => Promise<ScheduledValue[]>> = {
  /** Scheduled updates, the soonest first (failed ones included, with their reason). */
  scheduled: (deps, story) => deps.scheduled.list(story.id),
};

/** The answer to a status list: not a page of the public timeline, so no seq or cursor. */
export const StatusListPage = Type.Object({
  status: Type.String(),
  updates: Type.Array(Type.Union([ScheduledUpdate])),
});

export async function listByStatus(deps: StatusListDeps, story: Story, status: ListStatus) {
  return { status, updates: await STATUS_LISTS[status](deps, story) };
}
