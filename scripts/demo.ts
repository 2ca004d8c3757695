/**
 * `npm run demo`: creates a demo story and plays a scripted sequence of updates against the
 * running product (through the real HTTP API), so a newcomer sees the reader page and the
 * dashboard come alive. It uses its own "demo" editor, whose token it keeps in DATA_DIR.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createEditorStore } from '../src/store/editor-store.ts';
import { createKeys } from '../src/store/keys.ts';
import { connectCliRedis } from './lib/cli-redis.ts';
import { envBesideLauncher, loadLauncherSettings } from './lib/launcher-settings.ts';

type Step = { wait: number; say: string; run: (api: Api, storyId: string) => Promise<unknown> };
type Api = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: { id?: string; slug?: string; error?: { message: string } } }>;

const config = loadConfig(envBesideLauncher());
const settings = loadLauncherSettings();
const base = `http://127.0.0.1:${config.port}`;
const publicBase = config.publicUrl ?? `http://localhost:${config.port}`;
// `--fast` is for tests and the impatient.
const STEP_MS = process.argv.includes('--fast') ? 200 : 3_000;

async function demoToken(): Promise<string> {
  const file = join(settings.dataDir, `demo-token-${config.keyPrefix.replace(/[^A-Za-z0-9]/g, '')}`);
  const redis = await connectCliRedis(config, 'demo');
  try {
    const editors = createEditorStore(redis, createKeys(config.keyPrefix));
    if (existsSync(file)) {
      const saved = readFileSync(file, 'utf8').trim();
      if (await editors.authenticate(saved)) return saved;
    }
    // Admin: the demo creates its own story.
    const { token } = await editors.add(`demo-${Date.now().toString(36)}`, 'admin', 'npm run demo');
    mkdirSync(settings.dataDir, { recursive: true });
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    return token;
  } finally {
    redis.disconnect();
  }
}

function apiWith(token: string): Api {
  return async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as never };
  };
}

const post = (id: string, body: Record<string, unknown>) => (api: Api, storyId: string) =>
  api('POST', `/api/stories/${storyId}/updates`, { id, ...body });

const SCRIPT: Step[] = [
  {
    wait: 0,
    say: 'First update',
    run: post('d1', {
      title: 'Polls have closed',
      body: 'Counting is under way in all **650** constituencies.',
      keyEvent: true,
    }),
  },
  {
    wait: STEP_MS,
    say: 'A second update',
    run: post('d2', {
      body: 'Turnout looks higher than last time, officials say. [Live results](https://example.com/results) will follow.',
    }),
  },
  {
    wait: STEP_MS,
    say: 'An update with a typo…',
    run: post('d3', { body: 'The first reslt is expected around 11pm.' }),
  },
  {
    wait: STEP_MS,
    say: '…corrected by an edit',
    run: (api, id) =>
      api('PATCH', `/api/stories/${id}/updates/d3`, { body: 'The first result is expected around 11pm.' }),
  },
  {
    wait: STEP_MS,
    say: 'Pinning the key context',
    run: post('d4', {
      title: 'What to watch',
      body: '- Marginal seats in the north\n- Turnout among first-time voters\n- The size of the swing',
      pinned: true,
    }),
  },
  { wait: STEP_MS, say: 'A mistaken post…', run: post('d5', { body: 'Wrong story: please ignore.' }) },
  { wait: STEP_MS, say: '…deleted', run: (api, id) => api('DELETE', `/api/stories/${id}/updates/d5`) },
  {
    wait: STEP_MS,
    say: 'A key event with an alert',
    run: post('d6', {
      title: 'First result declared',
      body: 'Sunderland South declares first, as expected.',
      keyEvent: true,
      notify: true,
    }),
  },
  {
    wait: STEP_MS,
    say: 'A quote',
    run: post('d7', { body: '> "This is a long night ahead," said the returning officer.' }),
  },
];

async function main(): Promise<void> {
  const api = apiWith(await demoToken());
  const created = await api('POST', '/api/stories', {
    title: `Election night live (demo ${new Date().toLocaleTimeString()})`,
    summary: 'Results as they come in. A demo played by `npm run demo`.',
  });
  if (created.status !== 201) throw new Error(created.body.error?.message ?? `HTTP ${created.status}`);
  const { id, slug } = created.body as { id: string; slug: string };
  console.log(
    `Demo story created.\n  Reader page  ${publicBase}/stories/${slug}\n  Dashboard    ${publicBase}/admin\nPosting an update every ${STEP_MS / 1000} s…`,
  );
  for (const step of SCRIPT) {
    await new Promise((r) => setTimeout(r, step.wait));
    const result = (await step.run(api, id)) as { status: number };
    console.log(`  ${step.say} (${result.status})`);
  }
  console.log('Demo finished. Post your own from the dashboard.');
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    `npm run demo: ${message}\nIs Stop Press running? Start it with \`npm start\` (and the same PORT/REDIS_URL).`,
  );
  process.exit(1);
});
