/**
 * What the buttons of one update row do: inline edit, pin, key event, delete with an inline
 * confirmation. The changes they send are in update-changes.ts.
 */
import type { ShowProblem } from './problems.ts';
import type { Store } from './store.ts';
import type { DashboardState } from './state.ts';
import type { StorySession } from './story-session.ts';
import { deleteUpdate, focusInRow, saveEdit, sendUpdateChange, setUpdateUi } from './update-changes.ts';

export type UpdateAction = (updateId: string) => void;

export function createUpdateActions(
  store: Store<DashboardState>,
  session: () => StorySession | null,
  showProblem: ShowProblem,
) {
  const deps = { store, session, showProblem };
  const actions: Record<string, UpdateAction> = {
    'edit-update': (id) => {
      const update = session()?.current(id);
      if (!update) return;
      setUpdateUi(store, id, { editing: { title: update.title ?? '', body: update.body }, confirmingDelete: false });
      focusInRow(id, 'textarea');
    },
    'cancel-edit': (id) => {
      setUpdateUi(store, id, { editing: null });
      focusInRow(id, '[data-action="edit-update"]');
    },
    'toggle-pin': (id) => {
      const pinned = !session()?.current(id)?.pinned;
      const label = pinned ? 'Pinning…' : 'Unpinning…';
      void sendUpdateChange(deps, id, { changes: { pinned }, label, isDone: (u) => u.pinned === pinned });
    },
    'toggle-key-event': (id) => {
      const keyEvent = !session()?.current(id)?.keyEvent;
      const label = keyEvent ? 'Marking as key event…' : 'Unmarking key event…';
      void sendUpdateChange(deps, id, { changes: { keyEvent }, label, isDone: (u) => u.keyEvent === keyEvent });
    },
    'ask-delete': (id) => {
      setUpdateUi(store, id, { confirmingDelete: true });
      focusInRow(id, '[data-action="cancel-delete"]');
    },
    'cancel-delete': (id) => {
      setUpdateUi(store, id, { confirmingDelete: false });
      focusInRow(id, '[data-action="ask-delete"]');
    },
    'confirm-delete': (id) => void deleteUpdate(deps, id),
  };

  return { actions, saveEdit: (form: HTMLFormElement) => saveEdit(deps, form) };
}
