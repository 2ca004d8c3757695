/** Who the token belongs to: the dashboard signs in with it and offers only what the role may do. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { editorOf } from '../plugins/auth.ts';
import { errorResponses } from '../schemas.ts';

export const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/me',
    {
      onRequest: app.requireEditor,
      schema: {
        tags: ['editors'],
        summary: 'The signed-in editor: name and role',
        security: [{ bearer: [] }],
        response: { 200: Type.Object({ name: Type.String(), role: Type.String() }), ...errorResponses(401) },
      },
    },
    async (request) => {
      const { name, role } = editorOf(request);
      return { name, role };
    },
  );
};
