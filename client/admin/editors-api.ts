/** The admin endpoints of the dashboard: editor accounts and a story's audit trail. */

/** An editor account as the API shows it (GET /api/editors, GET /api/me). */
export interface EditorAccount {
  id: string;
  name: string;
  /** "admin" or "editor" (and any role the server adds later). */
  role: string;
  createdAt: string;
  revokedAt?: string;
  displayName: string;
  title?: string;
  avatar?: string;
}

export interface NewEditor {
  name: string;
  role: string;
  displayName?: string;
  title?: string;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  updateId?: string;
  seq?: number;
  changes?: Record<string, unknown>;
}

type Call = <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) => Promise<T>;

const editor = (name: string) => `/api/editors/${encodeURIComponent(name)}`;

export function editorAdminApi(call: Call) {
  return {
    listEditors: () => call<{ editors: EditorAccount[] }>('GET', '/api/editors'),
    addEditor: (fields: NewEditor) => call<{ editor: EditorAccount; token: string }>('POST', '/api/editors', fields),
    setEditorRole: (name: string, role: string) => call<EditorAccount>('PATCH', editor(name), { role }),
    setByline: (name: string, byline: { displayName: string; title: string | null }) =>
      call<EditorAccount>('PATCH', editor(name), byline),
    revokeEditor: (name: string) => call<null>('DELETE', editor(name)),
    storyAudit: (storyId: string) =>
      call<{ entries: AuditEntry[] }>('GET', `/api/stories/${encodeURIComponent(storyId)}/audit?limit=200`),
  };
}
