/** Editor accounts (admins only) and the audit trails of who did what. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { appError } from '../../errors.ts';
import { EDITOR_NAME_PATTERN, EditorExistsError, type EditorStore } from '../../store/editor-store.ts';
import type { StoryStore } from '../../store/story-store.ts';
import { editorOf } from '../plugins/auth.ts';
import { DisplayName, editorView, JobTitle, ProfileFields } from './editor-profile-schema.ts';
import { errorResponses, StoryParams, type RouteApp } from '../schemas.ts';

export interface EditorRoutesDeps {
  editors: EditorStore;
  store: StoryStore;
}

export const EditorSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('editor'), Type.Literal('contributor')]),
  createdAt: Type.String(),
  revokedAt: Type.Optional(Type.String()),
  ...ProfileFields,
});
export const NameParams = Type.Object({ name: Type.String({ pattern: EDITOR_NAME_PATTERN.source }) });
const Limit = Type.Object(
  { limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) },
  { additionalProperties: false },
);
const AuditEntry = Type.Object({
  at: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  updateId: Type.Optional(Type.String()),
  seq: Type.Optional(Type.Integer()),
  changes: Type.Optional(Type.Unknown()),
});

function createEditorRoute(app: RouteApp, { editors }: EditorRoutesDeps): void {
  app.post(
    '/editors',
    {
      onRequest: app.requireAdmin,
      schema: {
        tags: ['editors'],
        summary: 'Create an editor; the token is shown once',
        security: [{ bearer: [] }],
        body: Type.Object(
          {
            name: NameParams.properties.name,
            role: Type.Optional(EditorSchema.properties.role),
            displayName: Type.Optional(DisplayName),
            title: Type.Optional(JobTitle),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ editor: EditorSchema, token: Type.String() }),
          ...errorResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      try {
        const { name, role, displayName, title } = request.body;
        const profile = { displayName: displayName?.trim(), title: title?.trim() };
        const created = await editors.add(name, role ?? 'editor', editorOf(request).name, profile);
        return reply.status(201).send({ editor: editorView(created.editor), token: created.token });
      } catch (error) {
        if (error instanceof EditorExistsError) throw appError('EDITOR_EXISTS', error.message);
        throw error;
      }
    },
  );
}

function listEditorsRoute(app: RouteApp, { editors }: EditorRoutesDeps): void {
  app.get(
    '/editors',
    {
      onRequest: app.requireAdmin,
      schema: {
        tags: ['editors'],
        summary: 'All editors',
        security: [{ bearer: [] }],
        response: { 200: Type.Object({ editors: Type.Array(EditorSchema) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ editors: (await editors.list()).map(editorView) }),
  );
}

function revokeEditorRoute(app: RouteApp, { editors }: EditorRoutesDeps): void {
  app.delete(
    '/editors/:name',
    {
      onRequest: app.requireAdmin,
      schema: {
        tags: ['editors'],
        summary: 'Revoke an editor: their token stops working at once',
        security: [{ bearer: [] }],
        params: NameParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!(await editors.revoke(request.params.name, editorOf(request).name))) throw appError('EDITOR_NOT_FOUND');
      return reply.status(204).send(null);
    },
  );
}

function editorAuditRoute(app: RouteApp, { editors }: EditorRoutesDeps): void {
  app.get(
    '/audit/editors',
    {
      onRequest: app.requireAdmin,
      schema: {
        tags: ['editors'],
        summary: 'Editor accounts added and revoked, newest first',
        security: [{ bearer: [] }],
        querystring: Limit,
      },
    },
    async (request) => ({ entries: await editors.readAudit(request.query.limit) }),
  );
}

function storyAuditRoute(app: RouteApp, { store }: EditorRoutesDeps): void {
  app.get(
    '/stories/:id/audit',
    {
      onRequest: app.requireEditor,
      schema: {
        tags: ['editors'],
        summary: 'Who created, posted, edited, pinned or deleted what in a story, newest first',
        security: [{ bearer: [] }],
        params: StoryParams,
        querystring: Limit,
        response: { 200: Type.Object({ entries: Type.Array(AuditEntry) }), ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const story = await store.getStory(request.params.id);
      if (!story) throw appError('STORY_NOT_FOUND');
      return { entries: await store.readAudit(story.id, request.query.limit) };
    },
  );
}

export const editorRoutes: FastifyPluginAsyncTypebox<EditorRoutesDeps> = async (app, deps) => {
  createEditorRoute(app, deps);
  listEditorsRoute(app, deps);
  revokeEditorRoute(app, deps);
  editorAuditRoute(app, deps);
  storyAuditRoute(app, deps);
};
