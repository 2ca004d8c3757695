/** `GET /api/me`: who a token belongs to, so the dashboard can adapt to the role it signs in with. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { editorOf } from '../plugins/auth.ts';
import { errorResponses } from '../schemas.ts';

export const meRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/me',
    {
      onRequest: app.requireAccount,
      schema: {
        tags: ['editors'],
        summary: 'The signed-in account: its name and role',
        description:
          '`contributor`: posts wait for review; `editor`: posts and reviews; `admin`: also manages stories and editors.',
        security: [{ bearer: [] }],
        response: {
          200: Type.Object({
            name: Type.String(),
            role: Type.Union([Type.Literal('admin'), Type.Literal('editor'), Type.Literal('contributor')]),
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request) => ({ name: editorOf(request).name, role: editorOf(request).role }),
  );
};
