/**
 * One write budget per editor per minute, shared by every write route and every API node
 * (a fixed window counted in Redis). Runs after authentication, so it counts the editor, not
 * however their Authorization header happens to be spelled.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RedisClient } from '../../redis/connections.ts';
import { appError } from '../../errors.ts';
import type { Keys } from '../../store/keys.ts';

declare module 'fastify' {
  interface FastifyInstance {
    limitWrites: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

const WINDOW_MS = 60_000;

async function writeLimitPlugin(
  app: FastifyInstance,
  options: { redis: RedisClient; keys: Pick<Keys, 'editorWrites'>; perMinute: number },
): Promise<void> {
  app.decorate('limitWrites', async (request: FastifyRequest, reply: FastifyReply) => {
    const editor = request.editor;
    if (!editor) return;
    const window = Math.floor(Date.now() / WINDOW_MS);
    const key = options.keys.editorWrites(editor.id, window);
    const replies = await options.redis
      .multi()
      .incr(key)
      .pexpire(key, WINDOW_MS * 2)
      .exec();
    const count = Number(replies?.[0]?.[1] ?? 0);
    if (count <= options.perMinute) return;
    const retryAfter = Math.ceil(((window + 1) * WINDOW_MS - Date.now()) / 1000);
    reply.header('retry-after', String(retryAfter));
    throw appError(
      'RATE_LIMITED',
      `At most ${options.perMinute} writes per minute per editor; retry in ${retryAfter} s`,
    );
  });
}

export const writeLimit = fp(writeLimitPlugin, { name: 'write-limit', dependencies: ['auth'] });
