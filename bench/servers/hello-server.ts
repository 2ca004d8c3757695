/**
 * Bare Fastify baselines, in their own process: a hello-world GET and POST, GET /page (a fixed
 * HTML string set over IPC: our story page's bytes, without anything that makes them), GET
 * /page.gz (our page's gzip bytes with the very headers our API sends: the ceiling for that
 * answer on this machine), and (with REDIS_URL)
 * POST /enqueue, which does nothing but `queue.add` on a plain BullMQ queue with the same job
 * options as ours: what our POST /updates costs without auth, pre-checks and validation.
 */
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import { STORY_OP_JOB_OPTIONS } from '../../src/queue/story-ops-producer.ts';
import { BARE_PREFIX, BARE_QUEUE } from '../lib/bare-queue.ts';
import { serve } from '../lib/rpc.ts';

const app = Fastify({ bodyLimit: 256 * 1024 });
const queue = process.env.REDIS_URL
  ? new Queue(BARE_QUEUE, { connection: { url: process.env.REDIS_URL }, prefix: BARE_PREFIX })
  : null;

let page = '';
let gzipPage = Buffer.alloc(0);
let gzipHeaders: Record<string, string> = {};

app.get('/hello', async () => ({ hello: 'world' }));
app.get('/page', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
app.get('/page.gz', async (_request, reply) => reply.headers(gzipHeaders).send(gzipPage));
app.post('/hello', async () => ({ ok: true }));
app.post('/enqueue', async (request, reply) => {
  if (!queue) return reply.status(503).send();
  const job = await queue.add(
    'update.create',
    { kind: 'update.create', acceptedAt: new Date().toISOString(), fields: request.body },
    STORY_OP_JOB_OPTIONS,
  );
  return reply.status(202).send({ id: job.id, status: 'queued' });
});

serve({
  setPage: ({ html }: { html: string }) => void (page = html),
  setGzipPage({ base64, headers }: { base64: string; headers: Record<string, string> }) {
    gzipPage = Buffer.from(base64, 'base64');
    gzipHeaders = headers;
  },
  async listen() {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  },
});
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => queue?.close())
      .finally(() => process.exit(0)),
);
