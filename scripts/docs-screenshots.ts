/**
 * `npm run docs:screenshots`: makes docs/images/reader.png and docs/images/dashboard.png from the
 * real product, so the README's pictures can be regenerated whenever the pages change. It starts a
 * private stack (its own redis-server on a free loopback port, the API and the worker), writes a
 * story through the HTTP API, photographs both pages in Chromium and stops everything again.
 * Nothing touches `.data/` or a Redis of yours.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../src/config.ts';
import { createEditorStore } from '../src/store/editor-store.ts';
import { createKeys } from '../src/store/keys.ts';
import { launchBrowser } from './lib/chromium.ts';
import { connectCliRedis } from './lib/cli-redis.ts';
import { freePort, ROOT, sleep, spawnNode, waitForHttp, type NodeProcess } from './lib/processes.ts';
import { startRedisServer, type RedisServerHandle } from './lib/redis-server.ts';
import { ensureClientBuilt } from './client-build.mjs';

const IMAGES = join(ROOT, 'docs', 'images');
// The dashboard needs the width for its two columns; the reader page is one column and would be mostly margin.
const DASHBOARD_VIEWPORT = { width: 1280, height: 900 };
const READER_VIEWPORT = { width: 960, height: 1400 };

interface Stack {
  base: string;
  redis: RedisServerHandle;
  processes: NodeProcess[];
}

interface Story {
  id: string;
  slug: string;
  title: string;
}

type UpdateBody = { id: string; title?: string; body: string; pinned?: boolean; keyEvent?: boolean };

const KEY_POINTS = [
  '- Red warning for the whole coast until **11:00**',
  '- Schools and coastal trains are closed',
  '- Emergency line: **112**',
].join('\n');

/** A morning of storm coverage, oldest first: enough for every kind of update to show. */
const UPDATES: UpdateBody[] = [
  {
    id: 'warning',
    title: 'Red warning issued',
    body: 'The national weather service has issued a **red warning** for the whole coast from 04:00.',
    keyEvent: true,
  },
  {
    id: 'essentials',
    title: 'What you need to know',
    body: '- Stay indoors between 05:00 and 11:00\n- Schools are closed\n- Emergency line: **112**',
    pinned: true,
  },
  { id: 'trains', body: 'All coastal train services are suspended until further notice, the operator says.' },
  {
    id: 'landfall',
    title: 'Storm makes landfall',
    body: 'The storm made **landfall** near the harbour at 06:40, with gusts of 140 km/h recorded on the pier.',
    keyEvent: true,
  },
  {
    id: 'mayor',
    body: '> "Please stay where you are. Crews are on their way to the worst-hit streets," the mayor said.',
  },
  {
    id: 'shelters',
    title: 'Shelters open',
    body: 'Shelters are open at the **town hall** and the sports centre. [Full list](https://example.com/shelters).',
  },
];

async function startStack(): Promise<Stack> {
  ensureClientBuilt();
  const redis = await startRedisServer();
  const port = await freePort();
  const env = {
    ...process.env,
    REDIS_URL: redis.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://localhost:${port}`,
    LOG_LEVEL: 'warn',
  };
  const processes = [spawnNode('src/main.ts', { env }), spawnNode('workers/main.ts', { env })];
  const stack = { base: `http://127.0.0.1:${port}`, redis, processes };
  try {
    await waitForHttp(`${stack.base}/healthz`, processes[0]!);
  } catch (error) {
    await stopStack(stack);
    throw error;
  }
  return stack;
}

async function stopStack(stack: Stack): Promise<void> {
  for (const child of stack.processes) child.kill('SIGTERM');
  await Promise.all(stack.processes.map((child) => child.exited));
  await stack.redis.remove();
}

/** An admin token made straight in Redis, as `npm run editor -- add` makes one. */
async function adminToken(redisUrl: string): Promise<string> {
  const config = loadConfig({ REDIS_URL: redisUrl });
  const redis = await connectCliRedis(config, 'docs-screenshots');
  try {
    const editors = createEditorStore(redis, createKeys(config.keyPrefix));
    const profile = { displayName: 'Olena Marchenko', title: 'Coast correspondent' };
    return (await editors.add('newsdesk', 'admin', 'npm run docs:screenshots', profile)).token;
  } finally {
    redis.disconnect();
  }
}

async function call(stack: Stack, token: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${stack.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** A stand-in news photo made on the spot: a stormy sky over a dark sea (no file to ship). */
async function stormPhoto(): Promise<Blob> {
  const [width, height] = [1600, 900];
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sea = y > height * 0.62;
    for (let x = 0; x < width; x++) {
      const shade = sea ? 40 + ((x * 7 + y * 13) % 23) : 150 - Math.round((y / height) * 90) + ((x * y) % 11);
      pixels.set([shade - 10, shade, shade + (sea ? 25 : 15)], (y * width + x) * 3);
    }
  }
  const jpeg = await sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
  return new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' });
}

/** Uploads the photo as the dashboard does, and answers the URL its Markdown names. */
async function uploadPhoto(stack: Stack, token: string): Promise<string> {
  const form = new FormData();
  form.append('alt', 'Grey storm clouds over a dark, churning sea');
  form.append('caption', 'The sea off the harbour wall at 07:15');
  form.append('credit', 'Photo: Olena Marchenko');
  form.append('file', await stormPhoto(), 'harbour.jpg');
  const response = await fetch(`${stack.base}/api/media`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  if (response.status !== 201) throw new Error(`POST /api/media: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { url: string }).url;
}

/** Creates the story and its updates, and waits until the worker has applied every one. */
async function writeStory(stack: Stack, token: string): Promise<Story> {
  const story = (await call(stack, token, 'POST', '/api/stories', {
    title: 'Storm Ciarán hits the coast',
    summary: 'Live coverage as the storm moves inland: warnings, closures and where to find help.',
  })) as Story;
  await call(stack, token, 'PATCH', `/api/stories/${story.id}`, { keyPoints: KEY_POINTS });
  const photo = await uploadPhoto(stack, token);
  const updates = [
    ...UPDATES,
    {
      id: 'harbour',
      title: 'Waves over the harbour wall',
      body: `![Grey storm clouds over a dark, churning sea](${photo})`,
    },
  ];
  for (const update of updates) {
    await call(stack, token, 'POST', `/api/stories/${story.id}/updates`, update);
    // Distinct minutes on the page, and the order the editor posted them in.
    await sleep(150);
  }
  for (let tries = 0; tries < 100; tries++) {
    const { lastSeq } = (await call(stack, token, 'GET', `/api/stories/${story.id}`)) as { lastSeq: number };
    // Every update, plus the key points' story.updated event.
    if (lastSeq >= updates.length + 1) return story;
    await sleep(100);
  }
  throw new Error('the worker did not apply the updates within 10 s');
}

async function shoot(page: Page, name: string): Promise<void> {
  const file = join(IMAGES, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  const kb = Math.round(statSync(file).size / 1024);
  console.log(`  ${relative(ROOT, file)} (${kb} KB)`);
}

/** Leaves the reader page open, so the dashboard has a reader to count. */
async function shootReader(browser: Browser, stack: Stack, story: Story): Promise<Page> {
  const page = await browser.newPage({ viewport: READER_VIEWPORT, colorScheme: 'light' });
  await page.goto(`${stack.base}/stories/${story.slug}`);
  await page.locator('#connection[data-state="live"]').waitFor();
  await shoot(page, 'reader');
  return page;
}

async function shootDashboard(browser: Browser, stack: Stack, token: string, story: Story): Promise<void> {
  const page = await browser.newPage({ viewport: DASHBOARD_VIEWPORT, colorScheme: 'light' });
  await page.goto(`${stack.base}/admin`);
  await page.getByLabel('Editor token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#dashboard-view').waitFor({ state: 'visible' });
  await page.locator('#story-list a.story-item', { hasText: story.title }).click();
  await page.locator('#update-list li').nth(UPDATES.length).waitFor();
  await page.locator('#story-readers', { hasText: /\d/ }).waitFor();
  // A draft in the composer shows the live preview next to the published updates.
  await page
    .locator('#composer')
    .getByLabel('Update')
    .fill('Gusts are down to **60 km/h** along the coast.\n\n- Trains resume at 14:00');
  await sleep(1_000);
  await shoot(page, 'dashboard');
  await page.close();
}

async function main(): Promise<void> {
  mkdirSync(IMAGES, { recursive: true });
  console.log('Starting a private Redis, the API and the worker…');
  const stack = await startStack();
  let browser: Browser | undefined;
  try {
    const token = await adminToken(stack.redis.url);
    const story = await writeStory(stack, token);
    browser = await launchBrowser();
    const reader = await shootReader(browser, stack, story);
    await shootDashboard(browser, stack, token, story);
    await reader.close();
  } finally {
    await browser?.close();
    await stopStack(stack);
  }
}

main().catch((error: unknown) => {
  console.error(`npm run docs:screenshots: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
