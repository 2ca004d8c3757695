/**
 * The signed-in editor's own account (GET /api/me, which the dashboard reads for the role) and
 * changes to an account (PATCH /api/editors/:name): admins change anyone, including the role;
 * an editor changes their own byline (display name, title, avatar), never their role.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { appError } from '../../errors.ts';
import type { Editor, EditorChanges, EditorStore } from '../../store/editor-store.ts';
import { editorOf } from '../plugins/auth.ts';
import { errorResponses, type RouteApp } from '../schemas.ts';
import { AvatarId, DisplayName, editorView, JobTitle } from './editor-profile-schema.ts';
import { EditorSchema, NameParams } from './editors.ts';

export interface EditorProfileDeps {
  editors: EditorStore;
}

const PatchEditorBody = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    title: Type.Optional(Type.Union([JobTitle, Type.Null()], { description: 'null or "" removes it' })),
    avatar: Type.Optional(Type.Union([AvatarId, Type.Null()], { description: 'null removes it' })),
    role: Type.Optional(EditorSchema.properties.role),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** Who may make this change; throws FORBIDDEN otherwise. */
function checkAllowed(actor: Editor, name: string, changes: EditorChanges): void {
  const admin = actor.role === 'admin';
  if (!admin && actor.name !== name) throw appError('FORBIDDEN', 'Only an admin may change another editor');
  if (changes.role === undefined) return;
  if (!admin) throw appError('FORBIDDEN', 'Only an admin may change a role');
  // Keeps the newsroom from locking itself out: the last admin cannot demote themselves.
  if (actor.name === name) throw appError('FORBIDDEN', 'An admin cannot change their own role; ask another admin');
}

function normalized(body: Static<typeof PatchEditorBody>): EditorChanges {
  const changes: EditorChanges = {};
  if (body.displayName !== undefined) changes.displayName = body.displayName.trim();
  if (body.title !== undefined) changes.title = body.title?.trim() || null;
  if (body.avatar !== undefined) changes.avatar = body.avatar;
  if (body.role !== undefined) changes.role = body.role;
  return changes;
}

function patchEditorRoute(app: RouteApp, { editors }: EditorProfileDeps): void {
  app.patch(
    '/editors/:name',
    {
      onRequest: app.requireEditor,
      schema: {
        tags: ['editors'],
        summary: "Change an editor's byline (display name, title, avatar) or role",
        description: 'Admins change anyone. An editor changes their own byline but not their role.',
        security: [{ bearer: [] }],
        params: NameParams,
        body: PatchEditorBody,
        response: { 200: EditorSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = editorOf(request);
      const changes = normalized(request.body);
      checkAllowed(actor, request.params.name, changes);
      const editor = await editors.patch(request.params.name, changes, actor.name);
      if (!editor) throw appError('EDITOR_NOT_FOUND', `There is no active editor named "${request.params.name}"`);
      return editorView(editor);
    },
  );
}

function meRoute(app: RouteApp): void {
  app.get(
    '/me',
    {
      // Any account, contributors included: the dashboard adapts to the role it signs in with.
      onRequest: app.requireAccount,
      schema: {
        tags: ['editors'],
        summary: 'The account this token belongs to: name, role and byline',
        description:
          '`contributor`: posts wait for review; `editor`: posts and reviews; `admin`: also manages stories and editors.',
        security: [{ bearer: [] }],
        response: { 200: EditorSchema, ...errorResponses(401) },
      },
    },
    async (request) => editorView(editorOf(request)),
  );
}

export const editorProfileRoutes: FastifyPluginAsyncTypebox<EditorProfileDeps> = async (app, deps) => {
  patchEditorRoute(app, deps);
  meRoute(app);
};
