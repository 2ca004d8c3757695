/**
 * Editors and their bearer tokens. Only sha256(token) is stored; a token is shown once, when
 * the editor is created. Lookups are not cached, so a revocation takes effect on the next request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis/connections.ts';
import { EDITOR_NAME_SOURCE } from '../domain/byline.ts';
import type { Keys } from './keys.ts';
import { SCRIPTS } from './lua-script.ts';
import { streamFields } from './stream-fields.ts';

/** A contributor's posts wait for an editor's approval (review-store.ts). */
export type EditorRole = 'admin' | 'editor' | 'contributor';

export interface Editor {
  id: string;
  name: string;
  role: EditorRole;
  createdAt: string;
  revokedAt?: string;
  /** The byline name ("Anna Kovalenko"); without one, bylines show `name`. */
  displayName?: string;
  /** Shown with the byline ("Kyiv correspondent"). */
  title?: string;
  /** A media id (POST /api/media); shown only where a lookup turns it into a URL. */
  avatar?: string;
}

/** What PATCH /api/editors/:name may change; `null` clears an optional field. */
export interface EditorChanges {
  displayName?: string;
  title?: string | null;
  avatar?: string | null;
  role?: EditorRole;
}

export type EditorProfile = Pick<Editor, 'displayName' | 'title' | 'avatar'>;

/** The name a byline shows: the display name, or the account name for editors without one. */
export function displayNameOf(editor: Pick<Editor, 'name' | 'displayName'>): string {
  return editor.displayName || editor.name;
}

/** Names usable in URLs (DELETE /api/editors/:name) and logs; not only dots. */
export const EDITOR_NAME_PATTERN = new RegExp(EDITOR_NAME_SOURCE);

export class InvalidEditorNameError extends Error {
  readonly code = 'INVALID_EDITOR_NAME';
  constructor(name: string) {
    super(`"${name}" is not a usable editor name: use 1-64 letters, digits, "_", "-" or "."`);
  }
}

export class EditorExistsError extends Error {
  readonly code = 'EDITOR_EXISTS';
  constructor(name: string) {
    super(`An editor named "${name}" already exists`);
  }
}

export type EditorStore = ReturnType<typeof createEditorStore>;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Who added or revoked which editor account, with what role. */
export interface EditorAuditEntry {
  at: string;
  actor: string;
  action: string;
  editor: string;
  role: string;
}

async function appendEditorAudit(redis: RedisClient, keys: Keys, entry: Omit<EditorAuditEntry, 'at'>): Promise<void> {
  await redis.xadd(
    keys.editorAudit,
    '*',
    'at',
    new Date().toISOString(),
    'actor',
    entry.actor,
    'action',
    entry.action,
    'editor',
    entry.editor,
    'role',
    entry.role,
  );
}

async function readEditorAudit(redis: RedisClient, keys: Keys, limit: number): Promise<EditorAuditEntry[]> {
  const entries = await redis.xrevrange(keys.editorAudit, '+', '-', 'COUNT', limit);
  return entries.map(([, fields]) => {
    const f = streamFields(fields);
    return {
      at: f.at ?? '',
      actor: f.actor ?? '',
      action: f.action ?? '',
      editor: f.editor ?? '',
      role: f.role ?? '',
    };
  });
}

/** Drops blank optional fields, so an editor record never holds an empty display name. */
function withoutEmpty(profile: EditorProfile): EditorProfile {
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => typeof value === 'string' && value !== ''));
}

export function createEditorStore(redis: RedisClient, keys: Keys) {
  async function get(name: string): Promise<Editor | null> {
    const json = await redis.hget(keys.editors, name);
    return json ? (JSON.parse(json) as Editor) : null;
  }

  return {
    get,

    /** `actor` is who did it, for the audit trail (an admin's name, or "cli"). */
    async add(
      name: string,
      role: EditorRole,
      actor = 'cli',
      profile: EditorProfile = {},
    ): Promise<{ editor: Editor; token: string }> {
      if (!EDITOR_NAME_PATTERN.test(name)) throw new InvalidEditorNameError(name);
      const editor: Editor = {
        id: randomBytes(8).toString('hex'),
        name,
        role,
        createdAt: new Date().toISOString(),
        ...withoutEmpty(profile),
      };
      const created = await redis.hsetnx(keys.editors, name, JSON.stringify(editor));
      if (created === 0) throw new EditorExistsError(name);
      const token = `sp_${randomBytes(24).toString('base64url')}`;
      await redis.hset(keys.editorTokens, hashToken(token), name);
      await appendEditorAudit(redis, keys, { action: 'editor.added', actor, editor: name, role });
      return { editor, token };
    },

    /** Changes an active editor's profile or role; null when there is no active editor of that name. */
    async patch(name: string, changes: EditorChanges, actor: string): Promise<Editor | null> {
      const json = await SCRIPTS.patchEditor.run<string>(redis, [keys.editors], [name, JSON.stringify(changes)]);
      if (!json) return null;
      const editor = JSON.parse(json) as Editor;
      const action = changes.role === undefined ? 'editor.updated' : 'editor.role-changed';
      await appendEditorAudit(redis, keys, { action, actor, editor: name, role: editor.role });
      return editor;
    },

    /** The editors of these names, revoked ones included, in the order asked; null for unknown names. */
    async lookup(names: string[]): Promise<(Editor | null)[]> {
      if (names.length === 0) return [];
      const jsons = await redis.hmget(keys.editors, ...names);
      return jsons.map((json) => (json ? (JSON.parse(json) as Editor) : null));
    },

    /** Editor accounts added and revoked, newest first. */
    readAudit: (limit: number) => readEditorAudit(redis, keys, limit),

    async list(): Promise<Editor[]> {
      const all = await redis.hvals(keys.editors);
      return all.map((json) => JSON.parse(json) as Editor).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    async revoke(name: string, actor = 'cli'): Promise<boolean> {
      const editor = await get(name);
      if (!editor || editor.revokedAt) return false;
      editor.revokedAt = new Date().toISOString();
      await redis.hset(keys.editors, name, JSON.stringify(editor));
      const tokens = await redis.hgetall(keys.editorTokens);
      const hashes = Object.entries(tokens)
        .filter(([, owner]) => owner === name)
        .map(([hash]) => hash);
      if (hashes.length > 0) await redis.hdel(keys.editorTokens, ...hashes);
      await appendEditorAudit(redis, keys, { action: 'editor.revoked', actor, editor: name, role: editor.role });
      return true;
    },

    async authenticate(token: string): Promise<Editor | null> {
      if (!token.startsWith('sp_') || token.length > 100) return null;
      const name = await redis.hget(keys.editorTokens, hashToken(token));
      if (!name) return null;
      const editor = await get(name);
      return editor && !editor.revokedAt ? editor : null;
    },
  };
}
