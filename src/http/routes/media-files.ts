/**
 * GET /media/<hash>-<width>.<ext>: the stored photo files. A name is a content hash, so its bytes
 * never change and any cache may keep them for a year without asking again.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseMediaFileName } from '../../media/media-record.ts';
import type { MediaStorage } from '../../media/media-storage.ts';
import { answerNotFound } from '../plugins/error-handler.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export const mediaFileRoutes: FastifyPluginAsyncTypebox<{ storage: MediaStorage }> = async (app, { storage }) => {
  app.get(
    '/media/:name',
    {
      schema: {
        hide: true,
        params: Type.Object({ name: Type.String({ maxLength: 64 }) }),
      },
    },
    async (request, reply) => {
      const parsed = parseMediaFileName(request.params.name);
      const file = parsed ? await storage.stream(request.params.name) : null;
      if (!parsed || !file) return answerNotFound(request, reply);
      return reply
        .header('content-type', parsed.type)
        .header('content-length', String(file.size))
        .header('cache-control', IMMUTABLE)
        .send(file.stream);
    },
  );
};
