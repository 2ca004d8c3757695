/**
 * What the buttons of one update row do: inline edit, pin, key event, delete with an inline
 * confirmation. Each change shows as pending until the live feed shows it to readers too, and
 * a failed edit reopens the editor with the editor's own text.
 */
import type { Update } from '../../src/domain/update.ts';
import { ApiError, type UpdateChanges } from './api.ts';
import type { Store } from './store.ts';
import { NO_UPDATE_UI, withEntry, type DashboardState, type UpdateUi } from './state.ts';
import type { StorySession } from './story-session.ts';

export type UpdateAction = (updateId: string) => void;

export function createUpdateActions(
  store: Store<DashboardState>,
  session: () => StorySession | null,
  showProblem: (error: unknown) => void,
) {
  function setUi(updateId: string, change: Partial<UpdateUi> | null): void {
    store.set((state) => ({
      ui: withEntry(state.ui, updateId, change ? { ...(state.ui[updateId] ?? NO_UPDATE_UI), ...change } : undefined),
    }));
  }

  /** Rows are redrawn on every change: keyboard focus is put back where the editor expects it. */
  function focusInRow(updateId: string, selector: string): void {
    document.getElementById(`update-${updateId}`)?.querySelector<HTMLElement>(selector)?.focus();
  }

  async function sendChange(
    updateId: string,
    changes: UpdateChanges,
    label: string,
    isDone: (update: Update) => boolean,
    editing: UpdateUi['editing'] = null,
  ): Promise<void> {
    const current = session();
    if (!current) return;
    setUi(updateId, {
      editing: null,
      pending: { label, isDone: (u) => u !== undefined && isDone(u), startedAt: Date.now() },
    });
    try {
      await current.change(updateId, changes);
    } catch (error) {
      setUi(updateId, { editing, pending: null });
      if (editing) focusInRow(updateId, 'textarea');
      showProblem(error);
    }
  }

  function saveEdit(form: HTMLFormElement): void {
    const updateId = form.dataset.id;
    const update = updateId ? session()?.current(updateId) : undefined;
    if (!updateId || !update) return;
    const data = new FormData(form);
    const typed = { title: String(data.get('title') ?? ''), body: String(data.get('body') ?? '') };
    if (!typed.body.trim()) {
      showProblem(
        new ApiError('VALIDATION_FAILED', 'The text of an update cannot be empty; delete the update instead.', null),
      );
      return;
    }
    const changes: UpdateChanges = {};
    const title = typed.title.trim() || null;
    if (title !== update.title) changes.title = title;
    if (typed.body !== update.body) changes.body = typed.body;
    if (Object.keys(changes).length > 0) {
      void sendChange(
        updateId,
        changes,
        'Saving…',
        (u) =>
          (changes.body === undefined || u.body === changes.body) &&
          (changes.title === undefined || u.title === changes.title),
        typed,
      );
    } else {
      setUi(updateId, null);
    }
    focusInRow(updateId, '[data-action="edit-update"]');
  }

  async function confirmDelete(updateId: string): Promise<void> {
    const current = session();
    if (!current) return;
    // Never "done" while the row exists: the row itself disappears with the update.deleted event.
    setUi(updateId, {
      confirmingDelete: false,
      pending: { label: 'Deleting…', isDone: () => false, startedAt: Date.now() },
    });
    try {
      await current.remove(updateId);
    } catch (error) {
      setUi(updateId, { pending: null });
      showProblem(error);
    }
  }

  const actions: Record<string, UpdateAction> = {
    'edit-update': (id) => {
      const update = session()?.current(id);
      if (!update) return;
      setUi(id, { editing: { title: update.title ?? '', body: update.body }, confirmingDelete: false });
      focusInRow(id, 'textarea');
    },
    'cancel-edit': (id) => {
      setUi(id, { editing: null });
      focusInRow(id, '[data-action="edit-update"]');
    },
    'toggle-pin': (id) => {
      const pinned = !session()?.current(id)?.pinned;
      void sendChange(id, { pinned }, pinned ? 'Pinning…' : 'Unpinning…', (u) => u.pinned === pinned);
    },
    'toggle-key-event': (id) => {
      const keyEvent = !session()?.current(id)?.keyEvent;
      void sendChange(
        id,
        { keyEvent },
        keyEvent ? 'Marking as key event…' : 'Unmarking key event…',
        (u) => u.keyEvent === keyEvent,
      );
    },
    'ask-delete': (id) => {
      setUi(id, { confirmingDelete: true });
      focusInRow(id, '[data-action="cancel-delete"]');
    },
    'cancel-delete': (id) => {
      setUi(id, { confirmingDelete: false });
      focusInRow(id, '[data-action="ask-delete"]');
    },
    'confirm-delete': (id) => void confirmDelete(id),
  };

  return { actions, saveEdit };
}
