/**
 * The BullMQ dashboard (bull-board) at /admin/queues, for admins only. Browsers cannot attach a
 * bearer token to a page load, so HTTP Basic with the admin token as the password works too.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { appError } from '../../errors.ts';
import type { EditorStore } from '../../store/editor-store.ts';
import { DOCUMENT_HEADERS_BUT_CSP } from './security-headers.ts';

export const QUEUE_BOARD_PATH = '/admin/queues';

function tokenFrom(request: FastifyRequest): string | null {
  const header = request.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) || null;
}

export interface QueueBoardOptions {
  queues: Queue[];
  editors: EditorStore;
}

/** Admins through; anyone else is answered here, with a Basic challenge so a browser asks. */
async function admitAdmins(editors: EditorStore, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const token = tokenFrom(request);
  const editor = token ? await editors.authenticate(token) : null;
  if (editor?.role === 'admin') {
    // bull-board's page boots with an inline script; only this admin-only scope allows it.
    reply
      .headers(DOCUMENT_HEADERS_BUT_CSP)
      .header(
        'content-security-policy',
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
      );
    return;
  }
  // Answered here: bull-board's own error handler would turn a thrown error into a 500.
  const error = appError(
    editor ? 'FORBIDDEN' : 'UNAUTHORIZED',
    'Sign in with an admin token (as the password) to see the queues',
  );
  return reply
    .status(error.status)
    .header('www-authenticate', 'Basic realm="Stop Press queues", charset="UTF-8"')
    .send({ error: error.toBody() });
}

/** Encapsulated: the admin check and the relaxed CSP apply to the board's routes only. */
export const queueBoard: FastifyPluginAsync<QueueBoardOptions> = async (app, { queues, editors }) => {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })),
    serverAdapter,
  });
  app.addHook('onRequest', (request, reply) => admitAdmins(editors, request, reply));
  // basePath is an option of bull-board's plugin that its typings leave out.
  await app.register(serverAdapter.registerPlugin(), {
    prefix: QUEUE_BOARD_PATH,
    basePath: QUEUE_BOARD_PATH,
  } as never);
};
