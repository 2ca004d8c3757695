/**
 * The changes behind an update row's buttons. Each shows as pending until the live feed shows it
 * to readers too, and a failed edit reopens the editor with the editor's own text.
 */
import type { Update } from '../../src/domain/update.ts';
import { ApiError, type UpdateChanges } from './api.ts';
import type { ShowProblem } from './problems.ts';
import type { Store } from './store.ts';
import { NO_UPDATE_UI, withEntry, type DashboardState, type UpdateUi } from './state.ts';
import type { StorySession } from './story-session.ts';

export interface UpdateChangeDeps {
  store: Store<DashboardState>;
  session(): StorySession | null;
  showProblem: ShowProblem;
}

/** Changes (or with null, forgets) how one row shows: editing, confirming a delete, pending. */
export function setUpdateUi(store: Store<DashboardState>, updateId: string, change: Partial<UpdateUi> | null): void {
  store.set((state) => ({
    ui: withEntry(state.ui, updateId, change ? { ...(state.ui[updateId] ?? NO_UPDATE_UI), ...change } : undefined),
  }));
}

/** Rows are redrawn on every change: keyboard focus is put back where the editor expects it. */
export function focusInRow(updateId: string, selector: string): void {
  document.getElementById(`update-${updateId}`)?.querySelector<HTMLElement>(selector)?.focus();
}

export async function sendUpdateChange(
  { store, session, showProblem }: UpdateChangeDeps,
  updateId: string,
  change: { changes: UpdateChanges; label: string; isDone: (update: Update) => boolean },
  editing: UpdateUi['editing'] = null,
): Promise<void> {
  const current = session();
  if (!current) return;
  const { changes, label, isDone } = change;
  setUpdateUi(store, updateId, {
    editing: null,
    pending: { label, isDone: (u) => u !== undefined && isDone(u), startedAt: Date.now() },
  });
  try {
    await current.change(updateId, changes);
  } catch (error) {
    setUpdateUi(store, updateId, { editing, pending: null });
    if (editing) focusInRow(updateId, 'textarea');
    showProblem(error);
  }
}

/** Sends what the inline editor changed, if anything; an emptied text is refused here. */
export function saveEdit(deps: UpdateChangeDeps, form: HTMLFormElement): void {
  const updateId = form.dataset.id;
  const update = updateId ? deps.session()?.current(updateId) : undefined;
  if (!updateId || !update) return;
  const data = new FormData(form);
  const typed = { title: String(data.get('title') ?? ''), body: String(data.get('body') ?? '') };
  if (!typed.body.trim()) {
    deps.showProblem(
      new ApiError('VALIDATION_FAILED', 'The text of an update cannot be empty; delete the update instead.', null),
    );
    return;
  }
  const changes: UpdateChanges = {};
  const title = typed.title.trim() || null;
  if (title !== update.title) changes.title = title;
  if (typed.body !== update.body) changes.body = typed.body;
  if (Object.keys(changes).length > 0) {
    const isDone = (u: Update) =>
      (changes.body === undefined || u.body === changes.body) &&
      (changes.title === undefined || u.title === changes.title);
    void sendUpdateChange(deps, updateId, { changes, label: 'Saving…', isDone }, typed);
  } else {
    setUpdateUi(deps.store, updateId, null);
  }
  focusInRow(updateId, '[data-action="edit-update"]');
}

export async function deleteUpdate({ store, session, showProblem }: UpdateChangeDeps, updateId: string) {
  const current = session();
  if (!current) return;
  // Never "done" while the row exists: the row itself disappears with the update.deleted event.
  setUpdateUi(store, updateId, {
    confirmingDelete: false,
    pending: { label: 'Deleting…', isDone: () => false, startedAt: Date.now() },
  });
  try {
    await current.remove(updateId);
  } catch (error) {
    setUpdateUi(store, updateId, { pending: null });
    showProblem(error);
  }
}
