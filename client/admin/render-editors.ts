/** Draws the Editors screen (admins only): the accounts table and the new token, shown once. */
import { formatTime, h } from './dom.ts';
import type { EditorAccount } from './editors-api.ts';

export interface EditorsScreenState {
  /** The screen is showing: an admin opened #editors. */
  open: boolean;
  editors: EditorAccount[];
  loading: boolean;
  /** The account a change is being sent for. */
  busy: string | null;
  confirmingRevoke: string | null;
  /** The token of the editor just added: shown until dismissed, and never again. */
  newToken: { name: string; token: string; copied: boolean } | null;
}

export const CLOSED_EDITORS_SCREEN: EditorsScreenState = {
  open: false,
  editors: [],
  loading: false,
  busy: null,
  confirmingRevoke: null,
  newToken: null,
};

export const ROLES = ['editor', 'admin'] as const;

export function tokenBox(shown: NonNullable<EditorsScreenState['newToken']>): HTMLElement {
  return h(
    'section',
    { class: 'token-box', id: 'token-box', tabindex: '-1', 'aria-labelledby': 'token-heading' },
    h('h2', { id: 'token-heading' }, `Token for ${shown.name}`),
    h(
      'p',
      { class: 'token-warning' },
      h('strong', {}, 'Shown once. '),
      `Copy it now and give it to ${shown.name} privately: it cannot be shown again. If it is lost, revoke the account and add a new one.`,
    ),
    h(
      'div',
      { class: 'token-row' },
      h('label', { for: 'new-token', class: 'visually-hidden' }, `Token for ${shown.name}`),
      h('input', { id: 'new-token', type: 'text', readonly: true, value: shown.token, spellcheck: 'false' }),
      h(
        'button',
        { type: 'button', class: 'button primary', 'data-editors-action': 'copy-token' },
        shown.copied ? 'Copied' : 'Copy',
      ),
    ),
    h('button', { type: 'button', class: 'button', 'data-editors-action': 'dismiss-token' }, 'Done, I have copied it'),
  );
}

function roleSelect(editor: EditorAccount, disabled: boolean): HTMLElement {
  const id = `role-${editor.id}`;
  const options = ROLES.includes(editor.role as (typeof ROLES)[number]) ? ROLES : [...ROLES, editor.role];
  return h(
    'span',
    {},
    h('label', { for: id, class: 'visually-hidden' }, `Role of ${editor.name}`),
    h(
      'select',
      { id, 'data-editors-role': editor.name, disabled },
      ...options.map((role) => h('option', { value: role, selected: role === editor.role }, capitalized(role))),
    ),
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function actions(editor: EditorAccount, state: EditorsScreenState, self: boolean): HTMLElement {
  if (editor.revokedAt) return h('span', { class: 'muted small' }, `Revoked ${formatTime(editor.revokedAt)}`);
  if (self) return h('span', { class: 'muted small' }, 'You');
  const busy = state.busy === editor.name;
  if (state.confirmingRevoke === editor.name) {
    return h(
      'span',
      { class: 'confirm', role: 'group', 'aria-label': `Revoke ${editor.name}?` },
      h(
        'button',
        { type: 'button', class: 'button small danger', 'data-editors-action': 'revoke', 'data-name': editor.name },
        `Revoke ${editor.name}`,
      ),
      h(
        'button',
        { type: 'button', class: 'button small', 'data-editors-action': 'cancel-revoke', 'data-name': editor.name },
        'Cancel',
      ),
    );
  }
  return h(
    'button',
    {
      type: 'button',
      class: 'button small danger-quiet',
      'data-editors-action': 'confirm-revoke',
      'data-name': editor.name,
      disabled: busy,
    },
    'Revoke…',
  );
}

export function editorRow(editor: EditorAccount, state: EditorsScreenState, me: string): HTMLTableRowElement {
  const self = editor.name === me;
  const locked = self || Boolean(editor.revokedAt) || state.busy === editor.name;
  return h(
    'tr',
    { class: editor.revokedAt ? 'is-revoked' : '', 'data-editor': editor.name },
    h('th', { scope: 'row' }, editor.name),
    h('td', {}, editor.displayName),
    h('td', {}, editor.title ?? ''),
    h('td', {}, roleSelect(editor, locked)),
    h('td', {}, h('time', { datetime: editor.createdAt }, formatTime(editor.createdAt))),
    h('td', { class: 'editor-actions' }, actions(editor, state, self)),
  );
}
