/**
 * Wires the page's events to the dashboard's actions. One listener per event type on the
 * document (event delegation): rows of the lists come and go, their `data-action`s stay the same.
 */
import { actionTarget, isSubmitShortcut } from './dom.ts';
import type { Store } from './store.ts';
import type { DashboardState } from './state.ts';

/** What a `data-action` button does, given the `data-id` of the element. */
export type Action = (id: string) => void;
/** What submitting a `data-form` form does. */
export type FormHandler = (form: HTMLFormElement) => void;

export interface DomEventHandlers {
  actions: Record<string, Action>;
  forms: Record<string, FormHandler>;
  onHashChange(): void;
}

export function listenToDom(store: Store<DashboardState>, handlers: DomEventHandlers): void {
  document.addEventListener('click', (event) => onClick(store, handlers.actions, event));
  document.addEventListener('submit', (event) => onSubmit(store, handlers.forms, event));
  document.addEventListener('keydown', (event) => onKeyDown(handlers.actions, event));
  window.addEventListener('hashchange', () => handlers.onHashChange());
}

function onClick(store: Store<DashboardState>, actions: Record<string, Action>, event: MouseEvent): void {
  const target = actionTarget(event, document.body);
  const action = target?.dataset.action;
  // Story links select through the URL hash; their data-action only helps focus survive redraws.
  const handler = action ? actions[action] : undefined;
  if (!target || !handler) return;
  if (action !== 'dismiss-problem') store.set({ problem: null });
  handler(target.dataset.id ?? '');
}

function onSubmit(store: Store<DashboardState>, forms: Record<string, FormHandler>, event: SubmitEvent): void {
  const form = event.target instanceof HTMLFormElement ? event.target : null;
  const kind = form?.dataset.form;
  if (!form || kind === 'publish') return; // the composer handles its own form
  event.preventDefault();
  store.set({ problem: null });
  const handler = kind ? forms[kind] : undefined;
  handler?.(form);
}

/** Ctrl/⌘+Enter saves an inline edit; Escape cancels an edit or a delete confirmation. */
function onKeyDown(actions: Record<string, Action>, event: KeyboardEvent): void {
  const form =
    event.target instanceof Element ? event.target.closest<HTMLFormElement>('form[data-form="edit-update"]') : null;
  const confirm = event.target instanceof Element ? event.target.closest<HTMLElement>('.confirm') : null;
  if (form && isSubmitShortcut(event)) {
    event.preventDefault();
    form.requestSubmit();
  } else if (event.key === 'Escape' && form?.dataset.id) {
    actions['cancel-edit']?.(form.dataset.id);
  } else if (event.key === 'Escape' && confirm) {
    const id = confirm.querySelector<HTMLElement>('[data-id]')?.dataset.id;
    if (id) actions['cancel-delete']?.(id);
  }
}
