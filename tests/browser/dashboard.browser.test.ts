/**
 * The editor dashboard in a real browser against a real stack: sign in, run a story, publish,
 * edit and delete updates, lose nothing on a refused publish, see readers and alert counts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUEUES } from '../../src/queue/jobs.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { ARTIFACTS_DIR, collectPageErrors, launchBrowser, text } from '../helpers/browser.ts';
import { submitToken } from '../helpers/dashboard.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ workers: 1 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** The publish worker of the stack, to hold updates in the queue for a moment. */
function publishWorker() {
  const worker = stack.workers[0]?.workers.find((w) => w.name === QUEUES.storyOps);
  if (!worker) throw new Error('no story-ops worker');
  return worker;
}

it('runs a live story from the dashboard', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000);
  // The server's Content-Security-Policy allows no inline script or style: the dashboard must not need any.
  const pageErrors = collectPageErrors(page);
  const problem = page.locator('#problem');
  const composer = page.locator('#composer');
  const body = composer.getByLabel('Update');
  const updates = page.locator('#update-list');

  // Sign in: a wrong token is refused with the API's code, the real one opens the dashboard.
  await page.goto(`${stack.urls[0]}/admin`);
  await submitToken(page, 'sp_not-a-real-token');
  await expect.poll(() => text(problem)).toMatch(/not accepted[\s\S]*UNAUTHORIZED/);
  await submitToken(page, stack.token);
  await page.locator('#dashboard-view').waitFor({ state: 'visible' });
  expect(await text(problem)).toBe('');

  // Create a story and select it.
  await page.locator('#new-story summary').click();
  const newStory = page.locator('form[data-form="create-story"]');
  await newStory.getByLabel('Title', { exact: true }).fill('Storm hits the coast');
  await newStory.getByLabel('Summary').fill('Live coverage of the storm');
  await newStory.getByRole('button', { name: 'Create story' }).click();
  await page.locator('#story-list a.story-item', { hasText: 'Storm hits the coast' }).click();
  await expect.poll(() => text(page.locator('#story-title'))).toBe('Storm hits the coast');
  const { body: list } = await stack.request('GET', '/api/stories');
  const story = list.stories.find((s: { title: string }) => s.title === 'Storm hits the coast');
  expect(await page.locator('#story-link').getAttribute('href')).toBe(`/stories/${story.slug}`);
  expect(await text(page.locator('#story-status'))).toMatch(/live/i);

  // Compose with a live preview, then publish with Ctrl+Enter.
  await composer.getByLabel('Title').fill('Landfall');
  await body.fill('The storm made **landfall** at 6:40.');
  await composer.getByLabel('Key event').check();
  await expect.poll(() => page.locator('#composer-preview strong').allInnerTexts()).toEqual(['landfall']);
  await body.press('Control+Enter');
  const landfall = updates.locator('.update[data-state="published"]', { hasText: 'landfall' });
  await landfall.waitFor();
  expect(await text(landfall.locator('.update-state'))).toMatch(/published/i);
  expect(await text(landfall.locator('.update-title'))).toBe('Landfall');
  expect(await body.inputValue()).toBe('');
  const { body: page1 } = await stack.request('GET', `/api/stories/${story.id}/updates`);
  expect(page1.updates).toHaveLength(1);
  const [posted] = page1.updates;
  expect(posted).toMatchObject({
    title: 'Landfall',
    keyEvent: true,
    version: 1,
    body: 'The storm made **landfall** at 6:40.',
  });
  expect(posted.id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);

  // Edit it inline.
  const row = page.locator(`#update-${posted.id}`);
  await row.getByRole('button', { name: 'Edit' }).click();
  await row.getByLabel('Text (Markdown)').fill('The storm made landfall at **6:45**, not 6:40.');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => text(row.locator('.update-body'))).toBe('The storm made landfall at 6:45, not 6:40.');
  await expect
    .poll(async () => (await stack.request('GET', `/api/stories/${story.id}/updates/${posted.id}`)).body.version)
    .toBe(2);

  // Delete it, after confirming.
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.getByRole('button', { name: 'Yes, delete' }).click();
  await row.waitFor({ state: 'detached' });
  expect((await stack.request('GET', `/api/stories/${story.id}/updates/${posted.id}`)).status).toBe(410);

  // End the story: a publish is refused, and the draft survives the failure and a reload.
  await page.getByRole('button', { name: 'End story' }).click();
  await expect.poll(() => text(page.locator('#story-status'))).toMatch(/ended/i);
  const draft = 'Officials will speak at **noon**.';
  await body.fill(draft);
  await body.press('Control+Enter');
  await expect.poll(() => text(problem)).toMatch(/The story has ended; reopen it to post updates[\s\S]*STORY_ENDED/);
  expect(await body.inputValue()).toBe(draft);
  await page.reload();
  await page.locator('#dashboard-view').waitFor({ state: 'visible' });
  await expect.poll(() => body.inputValue()).toBe(draft);

  // Reopen it.
  await page.getByRole('button', { name: 'Reopen story' }).click();
  await expect.poll(() => text(page.locator('#story-status'))).toMatch(/live/i);

  // Updates from elsewhere arrive live.
  await stack.request('POST', `/api/stories/${story.id}/updates`, {
    body: { title: 'Evacuation ordered', body: 'Leave the **harbour district** now.', pinned: true, keyEvent: true },
  });
  await updates.locator('.update', { hasText: 'Evacuation ordered' }).waitFor();

  // One reader connects; the count leaves out the dashboard's own connection.
  const reader = stack.reader();
  const ack = await reader.emitWithAck('subscribe', { storyId: story.id });
  expect(ack.ok).toBe(true);
  await expect.poll(() => text(page.locator('#story-readers')), { timeout: 15_000 }).toBe('1');

  // An update with an alert: queued while the worker is held, then published, then alerted with counts.
  await publishWorker().pause();
  await body.fill('Shelters are open at the **town hall**.');
  await composer.getByLabel('Send alert').check();
  await body.press('Control+Enter');
  await updates.locator('.update[data-state="queued"]', { hasText: 'Shelters are open' }).waitFor();
  publishWorker().resume();
  const shelters = updates.locator('.update[data-state="alerted"]', { hasText: 'Shelters are open' });
  await shelters.waitFor();
  await expect
    .poll(() => text(shelters.locator('.delivery')))
    .toMatch(/0 targeted · 0 sent · 0 failed · 0 pruned · 0 pending/);
  const { body: page2 } = await stack.request('GET', `/api/stories/${story.id}/updates`);
  expect(page2.updates.map((u: { body: string }) => u.body)).toEqual([
    'Shelters are open at the **town hall**.',
    'Leave the **harbour district** now.',
  ]);

  // A publish whose answer is lost: the server got it, the browser saw a network error. The draft
  // stays, and the retry (with text changed meanwhile) names the same update: one copy, latest text.
  const isPostUpdate = (url: URL) => url.pathname === `/api/stories/${story.id}/updates`;
  await page.route(isPostUpdate, async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    await route.fetch();
    await route.abort('connectionreset');
  });
  await composer.getByLabel('Send alert').uncheck();
  await body.fill('Roads are closed.');
  await body.press('Control+Enter');
  await expect.poll(() => text(problem)).toMatch(/NETWORK_ERROR/);
  expect(await body.inputValue()).toBe('Roads are closed.');
  await page.unroute(isPostUpdate);
  await body.fill('Roads north of the river are closed.');
  await body.press('Control+Enter');
  await expect
    .poll(() => updates.locator('.update-body', { hasText: 'Roads' }).allInnerTexts())
    .toEqual(['Roads north of the river are closed.']);
  await expect
    .poll(async () => {
      const { body: latest } = await stack.request('GET', `/api/stories/${story.id}/updates`);
      return latest.updates.map((u: { body: string }) => u.body).filter((b: string) => b.startsWith('Roads'));
    })
    .toEqual(['Roads north of the river are closed.']);
  expect(await body.inputValue()).toBe('');

  // Labels, names and contrast, checked by axe in both colour schemes.
  await expectNoAxeViolations(page);

  await composer.getByLabel('Title').fill('Winds ease');
  await body.fill('Gusts are down to **60 km/h** along the coast.\n\n- Trains resume at 14:00\n- Schools stay closed');
  await page.locator('#composer-preview li').first().waitFor();
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'dashboard.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'dashboard-phone.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'dashboard-dark.png'), fullPage: true });

  expect(pageErrors).toEqual([]);
  await page.close();
});
