/**
 * The rows of the editor's update list, derived from the live updates and what this dashboard
 * itself posted or changed: each row knows its phase (queued → published → alerted) and any
 * change still on its way.
 */
import type { Update } from '../../src/domain/update.ts';
import type { DeliveryStats } from './api.ts';
import { NO_UPDATE_UI, type DashboardState, type UpdateUi } from './state.ts';

export type UpdatePhase = 'queued' | 'published' | 'alerted';

export interface UpdateItem {
  id: string;
  /** null while queued: the worker has not rendered it yet. */
  update: Update | null;
  queued: { title: string | null; body: string; postedAt: string } | null;
  phase: UpdatePhase;
  alert: { breaking: boolean; delivery: DeliveryStats | null } | null;
  ui: UpdateUi;
  pendingLabel: string | null;
}

/** A change the live state never confirms (e.g. a pin the worker dropped) stops showing after this. */
const PENDING_GIVE_UP_MS = 15_000;

export function updateItems(state: DashboardState, now = Date.now()): UpdateItem[] {
  const present = new Set(state.updates.map((u) => u.id));
  const queued: UpdateItem[] = Object.entries(state.posted)
    .filter(([id, posted]) => posted.phase === 'queued' && !present.has(id))
    .sort(([, a], [, b]) => b.postedAt.localeCompare(a.postedAt))
    .map(([id, posted]) => ({
      id,
      update: null,
      queued: { title: posted.title, body: posted.body, postedAt: posted.postedAt },
      phase: 'queued',
      alert: posted.alert ? { breaking: posted.breaking, delivery: null } : null,
      ui: NO_UPDATE_UI,
      pendingLabel: null,
    }));
  const live = state.updates.map((update): UpdateItem => {
    const posted = state.posted[update.id];
    const stored = state.alerts[update.id];
    // This tab's own counters are the freshest; the stored ones cover alerts sent before a reload or elsewhere.
    const alert = posted?.alert
      ? { breaking: posted.breaking, delivery: posted.delivery ?? stored?.delivery ?? null }
      : stored
        ? { breaking: stored.breaking, delivery: stored.delivery }
        : null;
    const ui = state.ui[update.id] ?? NO_UPDATE_UI;
    const pending =
      ui.pending && !ui.pending.isDone(update) && now - ui.pending.startedAt < PENDING_GIVE_UP_MS ? ui.pending : null;
    return {
      id: update.id,
      update,
      queued: null,
      phase: alert?.delivery ? 'alerted' : 'published',
      alert,
      ui,
      pendingLabel: pending?.label ?? null,
    };
  });
  return [...queued, ...live];
}

/** Two rows with the same signature look the same, so the list keeps the existing element. */
export function itemSignature(item: UpdateItem): string {
  // While the inline editor is open its fields hold the editor's typing: never redraw them.
  if (item.ui.editing) return `editing:${item.id}`;
  const u = item.update;
  return JSON.stringify([
    item.phase,
    u?.version,
    u?.updatedAt,
    u?.pinned,
    u?.keyEvent,
    item.alert,
    item.ui.confirmingDelete,
    item.pendingLabel,
    item.queued?.body,
  ]);
}
