/**
 * read: requests/s of the story page (`GET /stories/:slug`, 30 updates of 1 KB rendered per
 * request) and of `GET /api/stories/:id/updates` under autocannon (its own process), against a
 * Fastify hello-world in the same run. Requests say `Accept-Encoding: gzip, deflate, br` as every
 * browser does; the same routes are also read without it. Also the same two routes on a second API
 * process at LOG_LEVEL=info (the shipped default, a log line per request), to show what request
 * logs cost.
 */
import type { CannonParams, CannonResult } from '../gen/autocannon.ts';
import { startBare } from '../lib/bare.ts';
import { waitUntil } from '../lib/clock.ts';
import { getRaw, sendJson } from '../lib/http.ts';
import type { BenchOptions } from '../lib/options.ts';
import { BODY_1KB } from '../lib/payload.ts';
import { forkBench, stopProcess } from '../lib/procs.ts';
import { log, table, target } from '../lib/report.ts';
import { Remote } from '../lib/rpc.ts';
import { startStack } from '../lib/stack.ts';
import { int, medianOf, ms } from '../lib/stats.ts';

const DURATION_S = 5;
const CONNECTIONS = 32;
const UPDATES = 60;

export async function read(options: BenchOptions): Promise<void> {
  const rounds = options.rounds ?? 3;
  const stack = await startStack({
    name: 'read',
    runDir: options.runDir,
    logLevel: options.logLevel,
    worker: true,
    profileDir: options.profile ? `${options.runDir}/profiles` : undefined,
  });
  const hello = await startBare('servers/hello-server.ts', { ...process.env, REDIS_URL: '' });
  const cannon = new Remote(forkBench('gen/autocannon.ts'), 'autocannon');
  try {
    await cannon.ready;
    const story = await stack.createStory('Read bench');
    for (let i = 0; i < UPDATES; i++) {
      await stack.postUpdate(story.id, {
        title: `Update ${i + 1}`,
        body: BODY_1KB,
        pinned: i < 2,
        keyEvent: i % 10 === 0,
      });
    }
    await waitUntil(async () => (await stack.lastSeq(story.id)) === UPDATES, 'the updates to be applied', 60_000);
    const pageHtml = (await sendJson('GET', `${stack.api.url}/stories/${story.slug}`)).text;
    await hello.remote.call('setPage', { html: pageHtml });
    const browser = { 'accept-encoding': 'gzip, deflate, br' };
    const zipped = await getRaw(`${stack.api.url}/stories/${story.slug}`, browser);
    // Headers the server writes itself (or that differ per request) are left to the bare server.
    for (const name of ['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])
      delete zipped.headers[name];
    await hello.remote.call('setGzipPage', { base64: zipped.body.toString('base64'), headers: zipped.headers });
    const targets: { name: string; url: string; headers?: Record<string, string>; goal?: string }[] = [
      { name: 'hello-world GET (bare Fastify)', url: `${hello.url}/hello`, headers: browser },
      { name: 'same-size static page, uncompressed (bare Fastify)', url: `${hello.url}/page` },
      {
        name: 'our gzip page + our headers as a constant (bare Fastify)',
        url: `${hello.url}/page.gz`,
        headers: browser,
      },
      {
        name: `story page GET /stories/:slug, gzip (LOG_LEVEL=${options.logLevel})`,
        url: `${stack.api.url}/stories/${story.slug}`,
        headers: browser,
        goal: 'story page',
      },
      {
        name: `GET /api/stories/:id/updates, gzip (LOG_LEVEL=${options.logLevel})`,
        url: `${stack.api.url}/api/stories/${story.id}/updates`,
        headers: browser,
        goal: 'updates API',
      },
      { name: 'story page, uncompressed', url: `${stack.api.url}/stories/${story.slug}` },
      { name: 'updates API, uncompressed', url: `${stack.api.url}/api/stories/${story.id}/updates` },
    ];
    if (options.logLevel !== 'info') {
      const info = await stack.startApi({ LOG_LEVEL: 'info' }, 'api-info');
      targets.push(
        { name: 'story page, gzip, LOG_LEVEL=info', url: `${info.url}/stories/${story.slug}`, headers: browser },
        {
          name: 'updates API, gzip, LOG_LEVEL=info',
          url: `${info.url}/api/stories/${story.id}/updates`,
          headers: browser,
        },
      );
    }
    const run = (t: (typeof targets)[number], durationS: number): Promise<CannonResult> =>
      cannon.call<CannonResult>(
        'run',
        {
          url: t.url,
          connections: CONNECTIONS,
          durationS,
          ...(t.headers && { headers: t.headers }),
        } satisfies CannonParams,
        (durationS + 60) * 1000,
      );
    log('read: warm-up');
    for (const t of targets) await run(t, 2);
    const results = targets.map(() => [] as CannonResult[]);
    for (let r = 1; r <= rounds; r++) {
      log(`read: round ${r}/${rounds}`);
      // Interleaved, so a slow minute on the machine hits every target alike.
      for (const [i, t] of targets.entries()) results[i]!.push(await run(t, DURATION_S));
    }
    const helloRps = medianOf(results[0]!, 'rps');
    const staticRps = medianOf(results[1]!, 'rps');
    const share = (rps: number, of: number): string => `${((rps / of) * 100).toFixed(0)} %`;
    table(
      'read: requests/s under autocannon (GET, keep-alive)',
      ['target', 'req/s', '% of hello', '% of static', 'p50', 'p99', 'KB/resp', 'non-2xx'],
      targets.map((t, i) => {
        const rs = results[i]!;
        return [
          t.name,
          int(medianOf(rs, 'rps')),
          share(medianOf(rs, 'rps'), helloRps),
          share(medianOf(rs, 'rps'), staticRps),
          ms(medianOf(rs, 'p50')),
          ms(medianOf(rs, 'p99')),
          (medianOf(rs, 'bytesPerRequest') / 1024).toFixed(1),
          int(rs.reduce((s, x) => s + x.non2xx + x.errors, 0)),
        ];
      }),
      [
        `median of ${rounds} rounds of ${DURATION_S} s per target, ${CONNECTIONS} connections, after a 2 s warm-up each; targets interleaved`,
        `the story has ${UPDATES} updates of 1 KB (2 pinned, 6 key events); the page renders 30 of them per request (no If-None-Match, so no 304s)`,
        'gzip rows send Accept-Encoding: gzip, deflate, br as browsers do; KB/resp is what crossed the wire',
        "the same-size static page is our rendered page's uncompressed bytes served as a constant: the ceiling for those bytes on this machine",
        'autocannon runs in its own process but on the same 2 cores: it takes CPU from every target alike (reading 90 KB answers costs it more)',
        'autocannon is patched not to decode every body into a string (bench/gen/autocannon.ts); it counts bytes, as wrk does',
        'repeats of a cached page or list are answered by the cache front (src/http/cache/cache-front.ts) before Fastify routes them',
      ],
    );
    for (const [i, t] of targets.entries()) {
      if (!t.goal) continue;
      const ratio = medianOf(results[i]!, 'rps') / helloRps;
      target({
        scenario: 'read',
        target: `${t.goal} ≥ 70 % of hello-world req/s`,
        measured: `${(ratio * 100).toFixed(0)} %`,
        met: ratio >= 0.7,
      });
    }
  } finally {
    await stopProcess(cannon.child, 5_000);
    await hello.stop();
    await stack.close();
  }
}
