/**
 * A story's audit trail, for admins: opened from the story header, read from
 * GET /api/stories/:id/audit. Who created, posted, edited, pinned or deleted what, newest first.
 */
import type { Api } from './api.ts';
import { byId, formatTime, h } from './dom.ts';
import type { AuditEntry } from './editors-api.ts';
import type { AdminScreenDeps } from './editors-screen.ts';
import { createStore } from './store.ts';
import type { DashboardState } from './state.ts';

interface AuditState {
  open: boolean;
  storyId: string | null;
  entries: AuditEntry[] | null;
  loading: boolean;
}

const CLOSED: AuditState = { open: false, storyId: null, entries: null, loading: false };

/** What each action reads as; actions this list does not know show as they are stored. */
const ACTION_LABELS: Record<string, string> = {
  'story.created': 'created the story',
  'story.updated': 'changed the story',
  'update.created': 'posted',
  'update.edited': 'edited',
  'update.pinned': 'pinned',
  'update.unpinned': 'unpinned',
  'update.deleted': 'deleted',
};

function changesText(changes: Record<string, unknown> | undefined): string {
  if (!changes) return '';
  return Object.entries(changes)
    .map(([field, value]) => `${field}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

function entryRow(entry: AuditEntry): HTMLTableRowElement {
  return h(
    'tr',
    {},
    h('td', {}, h('time', { datetime: entry.at }, formatTime(entry.at))),
    h('td', {}, entry.actor),
    h('td', {}, ACTION_LABELS[entry.action] ?? entry.action),
    h('td', {}, entry.updateId ? h('code', {}, entry.updateId) : '', ` ${changesText(entry.changes)}`),
  );
}

function auditTable(entries: AuditEntry[]): HTMLElement {
  if (entries.length === 0) return h('p', { class: 'muted empty' }, 'Nothing recorded yet.');
  const heads = ['When', 'Who', 'What', 'Update or change'].map((label) => h('th', { scope: 'col' }, label));
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'audit-table' },
      h('caption', { class: 'visually-hidden' }, 'Audit trail of this story, newest first'),
      h('thead', {}, h('tr', {}, ...heads)),
      h('tbody', {}, ...entries.map(entryRow)),
    ),
  );
}

export function startAuditTrail({ store, api, showProblem }: AdminScreenDeps): void {
  const toggle = byId('audit-toggle', HTMLButtonElement);
  const panel = byId('audit-panel', HTMLElement);
  const body = byId('audit-body', HTMLDivElement);
  const audit = createStore<AuditState>(CLOSED);

  function render(state: AuditState, dashboard: DashboardState): void {
    toggle.hidden = !(dashboard.session === 'signed-in' && dashboard.me?.role === 'admin');
    toggle.setAttribute('aria-expanded', String(state.open));
    panel.hidden = !state.open;
    body.setAttribute('aria-busy', String(state.loading));
    if (state.entries) body.replaceChildren(auditTable(state.entries));
    else body.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  }

  async function load(client: Api | null, storyId: string | null): Promise<void> {
    if (!client || !storyId) return;
    audit.set({ loading: true });
    try {
      const { entries } = await client.storyAudit(storyId);
      if (audit.get().storyId === storyId) audit.set({ entries });
    } catch (error) {
      showProblem(error);
    } finally {
      audit.set({ loading: false });
    }
  }

  audit.subscribe((state) => render(state, store.get()));
  store.subscribe((state, previous) => {
    // Another story, or signing out, closes the trail: it belongs to the story it was opened on.
    if (state.selectedId !== previous.selectedId || state.session !== previous.session) audit.set(CLOSED);
    else if (state.me !== previous.me) render(audit.get(), state);
  });
  toggle.addEventListener('click', () => {
    const storyId = store.get().selectedId;
    if (audit.get().open) return audit.set(CLOSED);
    audit.set({ ...CLOSED, open: true, storyId });
    void load(api(), storyId);
  });
  panel.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-audit-action="refresh"]') : null;
    if (target) void load(api(), audit.get().storyId);
  });
  render(audit.get(), store.get());
}
