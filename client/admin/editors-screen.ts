/**
 * The Editors screen (#editors), for admins: list the accounts, add one (its token shown once,
 * with a copy button), change a role, revoke. It keeps its own small state and events, and reads
 * the role the dashboard learnt at sign-in (`me`); editors never see it.
 */
import type { Api } from './api.ts';
import { byId } from './dom.ts';
import type { NewEditor } from './editors-api.ts';
import type { ShowProblem } from './problems.ts';
import { CLOSED_EDITORS_SCREEN, editorRow, tokenBox, type EditorsScreenState } from './render-editors.ts';
import { createStore, type Store } from './store.ts';
import type { DashboardState } from './state.ts';

export interface AdminScreenDeps {
  store: Store<DashboardState>;
  api(): Api | null;
  showProblem: ShowProblem;
}

const EDITORS_HASH = '#editors';
const NAME = /^(?!\.+$)[A-Za-z0-9_.-]{1,64}$/;

function findEditorsView() {
  return {
    link: byId('editors-link', HTMLAnchorElement),
    workspace: byId('workspace', HTMLElement),
    panel: byId('editors-panel', HTMLElement),
    token: byId('editor-token', HTMLDivElement),
    form: byId('add-editor-form', HTMLFormElement),
    table: byId('editor-table', HTMLTableElement),
    rows: byId('editor-rows', HTMLTableSectionElement),
  };
}

type EditorsView = ReturnType<typeof findEditorsView>;

function isAdmin(state: DashboardState): boolean {
  return state.session === 'signed-in' && state.me?.role === 'admin';
}

function render(view: EditorsView, screen: EditorsScreenState, dashboard: DashboardState): void {
  view.link.hidden = !isAdmin(dashboard);
  if (screen.open) view.link.setAttribute('aria-current', 'page');
  else view.link.removeAttribute('aria-current');
  view.panel.hidden = !screen.open;
  // Hides the story views beside it (CSS), without touching what their renderers own.
  view.workspace.dataset.screen = screen.open ? 'editors' : '';
  view.token.replaceChildren(...(screen.newToken ? [tokenBox(screen.newToken)] : []));
  view.table.setAttribute('aria-busy', String(screen.loading));
  const me = dashboard.me?.name ?? '';
  view.rows.replaceChildren(...screen.editors.map((editor) => editorRow(editor, screen, me)));
}

export function startEditorsScreen(deps: AdminScreenDeps): void {
  const view = findEditorsView();
  const screen = createStore<EditorsScreenState>(CLOSED_EDITORS_SCREEN);
  const redraw = () => render(view, screen.get(), deps.store.get());
  screen.subscribe(redraw);
  const actions = editorActions(deps, screen);

  function follow(): void {
    const open = isAdmin(deps.store.get()) && location.hash === EDITORS_HASH;
    if (open === screen.get().open) return redraw();
    screen.set(open ? { open } : CLOSED_EDITORS_SCREEN);
    if (open) void actions.load();
  }
  deps.store.subscribe((state, previous) => {
    if (state.session !== previous.session || state.me !== previous.me) follow();
  });
  window.addEventListener('hashchange', follow);
  view.panel.addEventListener('click', (event) => actions.onClick(event, view));
  view.panel.addEventListener('change', (event) => actions.onChange(event));
  view.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void actions.add(view.form);
  });
  follow();
}

function editorActions({ store, api, showProblem }: AdminScreenDeps, screen: Store<EditorsScreenState>) {
  async function load(): Promise<void> {
    const client = api();
    if (!client) return;
    screen.set({ loading: true });
    try {
      screen.set({ editors: (await client.listEditors()).editors });
    } catch (error) {
      showProblem(error);
    } finally {
      screen.set({ loading: false });
    }
  }

  async function change(name: string, send: (client: Api) => Promise<unknown>, notice: string): Promise<void> {
    const client = api();
    if (!client) return;
    screen.set({ busy: name, confirmingRevoke: null });
    try {
      await send(client);
      store.set({ notice });
    } catch (error) {
      showProblem(error);
    } finally {
      screen.set({ busy: null });
      await load();
    }
  }

  /** Asks before revoking; focus follows the buttons that replace the one clicked. */
  function confirmRevoke(view: EditorsView, name: string | null, cancelled?: string): void {
    screen.set({ confirmingRevoke: name });
    const selector = name ? '[data-editors-action="revoke"]' : `[data-editors-action="confirm-revoke"]`;
    const buttons = [...view.rows.querySelectorAll<HTMLElement>(selector)];
    buttons.find((button) => button.dataset.name === (name ?? cancelled))?.focus();
  }

  function onClick(event: MouseEvent, view: EditorsView): void {
    const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-editors-action]') : null;
    if (!target || !view.panel.contains(target)) return;
    const name = target.dataset.name ?? '';
    const action = target.dataset.editorsAction;
    if (action === 'refresh') void load();
    else if (action === 'copy-token') void copyToken(store, screen);
    else if (action === 'dismiss-token') screen.set({ newToken: null });
    else if (action === 'confirm-revoke') confirmRevoke(view, name);
    else if (action === 'cancel-revoke') confirmRevoke(view, null, name);
    else if (action === 'revoke') void change(name, (client) => client.revokeEditor(name), `${name} is revoked.`);
  }

  function onChange(event: Event): void {
    const select = event.target instanceof HTMLSelectElement ? event.target : null;
    const name = select?.dataset.editorsRole;
    if (!select || !name) return;
    const role = select.value;
    void change(
      name,
      (client) => client.setEditorRole(name, role),
      `${name} is now ${role === 'admin' ? 'an admin' : `a ${role}`}.`,
    );
  }

  const add = (form: HTMLFormElement) => addEditor({ store, api, showProblem }, screen, form, load);
  return { load, add, onClick, onChange };
}

async function addEditor(
  { store, api, showProblem }: AdminScreenDeps,
  screen: Store<EditorsScreenState>,
  form: HTMLFormElement,
  reload: () => Promise<void>,
): Promise<void> {
  const fields = newEditorFields(form);
  const client = api();
  if (!client) return;
  if (!NAME.test(fields.name)) {
    const message = 'Give the account a name: letters, digits, ".", "_" or "-".';
    store.set({ problem: { code: 'VALIDATION_FAILED', message } });
    return;
  }
  try {
    const { editor, token } = await client.addEditor(fields);
    form.reset();
    screen.set({ newToken: { name: editor.name, token, copied: false } });
    store.set({ notice: `Editor ${editor.name} added. Copy their token now: it is shown once.` });
    document.getElementById('token-box')?.focus();
    await reload();
  } catch (error) {
    showProblem(error);
  }
}

async function copyToken(store: Store<DashboardState>, screen: Store<EditorsScreenState>): Promise<void> {
  const shown = screen.get().newToken;
  if (!shown) return;
  try {
    await navigator.clipboard.writeText(shown.token);
    screen.set({ newToken: { ...shown, copied: true } });
    store.set({ notice: 'Token copied to the clipboard.' });
  } catch {
    // No clipboard access (an insecure origin, a refused permission): select it for Ctrl+C.
    const input = document.getElementById('new-token');
    if (input instanceof HTMLInputElement) input.select();
    store.set({ notice: 'Copying was refused by the browser: the token is selected, press Ctrl+C.' });
  }
}

function newEditorFields(form: HTMLFormElement): NewEditor {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const fields: NewEditor = { name: text('name'), role: text('role') || 'editor' };
  if (text('displayName')) fields.displayName = text('displayName');
  if (text('title')) fields.title = text('title');
  return fields;
}
