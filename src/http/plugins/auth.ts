/**
 * Editor authentication: `Authorization: Bearer <token>`. Routes opt in with
 * `onRequest: app.requireEditor` (or `app.requireAdmin`), so auth runs before the body is parsed.
 * Contributors are refused by both (deny by default); the few routes open to them (submitting for
 * review, photo uploads, the preview, /api/me) use `app.requireAccount`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { appError } from '../../errors.ts';
import type { Editor, EditorStore } from '../../store/editor-store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    editor: Editor | null;
  }
  interface FastifyInstance {
    requireEditor: (request: FastifyRequest) => Promise<void>;
    requireAdmin: (request: FastifyRequest) => Promise<void>;
    /** Any active account, contributors included. */
    requireAccount: (request: FastifyRequest) => Promise<void>;
  }
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

const CONTRIBUTOR_LACKS =
  'A contributor may only submit updates for review and change their own submissions; this needs an editor or admin';

async function authPlugin(app: FastifyInstance, options: { editors: EditorStore }): Promise<void> {
  app.decorateRequest('editor', null);

  async function requireAccount(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request);
    const editor = token ? await options.editors.authenticate(token) : null;
    if (!editor) throw appError('UNAUTHORIZED');
    request.editor = editor;
  }

  async function requireEditor(request: FastifyRequest): Promise<void> {
    await requireAccount(request);
    if (request.editor?.role === 'contributor') throw appError('FORBIDDEN', CONTRIBUTOR_LACKS);
  }

  app.decorate('requireAccount', requireAccount);
  app.decorate('requireEditor', requireEditor);
  app.decorate('requireAdmin', async (request: FastifyRequest) => {
    await requireAccount(request);
    if (request.editor?.role !== 'admin') throw appError('FORBIDDEN', 'Only an admin may do this');
  });
}

export const auth = fp(authPlugin, { name: 'auth' });

/** The editor of an authenticated request (the route's onRequest hook guarantees it). */
export function editorOf(request: FastifyRequest): Editor {
  if (!request.editor) throw appError('UNAUTHORIZED');
  return request.editor;
}
