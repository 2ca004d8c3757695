/**
 * Bylines and the admin screens in Chromium: the reader page's "By A and B" (server-rendered and
 * live), and an admin's Editors screen (add with the token shown once, change a role, revoke) and
 * a story's audit trail, with screenshots and axe; an editor sees neither.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { axeViolations } from '../helpers/axe.ts';
import { ARTIFACTS_DIR, launchBrowser } from '../helpers/browser.ts';
import { signIn } from '../helpers/dashboard.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let browser: Browser;
let annaToken: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  stack = await startStack({ workers: 1 });
  browser = await launchBrowser();
  const editors = createEditorStore(stack.redis, createKeys(stack.config.keyPrefix));
  annaToken = (
    await editors.add('anna', 'editor', 'test', { displayName: 'Anna Kovalenko', title: 'Kyiv correspondent' })
  ).token;
  await editors.add('ben', 'editor', 'test', { displayName: 'Ben Okafor' });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function newStory(title: string): Promise<{ id: string; slug: string }> {
  const res = await stack.request('POST', '/api/stories', { body: { title } });
  expect(res.status).toBe(201);
  return res.body;
}

async function post(storyId: string, id: string, authors?: string[]): Promise<void> {
  const res = await stack.request('POST', `/api/stories/${storyId}/updates`, {
    body: { id, body: `Update ${id}`, ...(authors && { authors }) },
  });
  expect(res.status).toBe(202);
  await eventually(
    async () => (await stack.request('GET', `/api/stories/${storyId}/updates/${id}`)).status === 200,
    id,
  );
}

/** Every axe violation, whatever its impact, in both colour schemes. */
describe('the reader page', () => {
  it('shows "By A and B" with the display names, on the page and live', async () => {
    const story = await newStory('Bylines on the page');
    await post(story.id, 'two', ['anna', 'ben']);
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${stack.urls[0]}/stories/${story.slug}`);
    expect(await page.locator('#update-two .update-author').innerText()).toBe('By Anna Kovalenko and Ben Okafor');
    await expect.poll(() => page.locator('#connection').getAttribute('data-state'), { timeout: 30_000 }).toBe('live');
    await post(story.id, 'three', ['ben', 'anna', 'tester']);
    const live = page.locator('#update-three .update-author');
    await live.waitFor();
    expect(await live.innerText()).toBe('By Ben Okafor, Anna Kovalenko and tester');
    await page.close();
  });
});

describe('the admin screens', () => {
  it('lets an admin add an editor (token shown once), change a role and revoke, and read the audit trail', async () => {
    const story = await newStory('Audited story');
    await post(story.id, 'a1', ['anna']);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.urls[0] });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await signIn(page, stack.urls[0], stack.token);

    await page.getByRole('link', { name: 'Editors' }).click();
    const panel = page.locator('#editors-panel');
    await panel.waitFor({ state: 'visible' });
    await panel.locator('tr[data-editor="anna"]').waitFor();
    expect(await panel.locator('tr[data-editor="anna"]').innerText()).toContain('Kyiv correspondent');

    const form = page.locator('#add-editor-form');
    await form.getByLabel('Account name').fill('chloe');
    await form.getByLabel('Display name').fill('Chloé Martin');
    await form.getByLabel('Title').fill('Photo desk');
    await form.getByRole('button', { name: 'Add editor' }).click();
    const tokenBox = page.locator('#token-box');
    await tokenBox.waitFor();
    expect(await tokenBox.innerText()).toMatch(/Shown once/);
    const token = await tokenBox.getByLabel('Token for chloe').inputValue();
    expect(token).toMatch(/^sp_/);
    expect((await stack.request('GET', '/api/me', { token })).body).toMatchObject({ displayName: 'Chloé Martin' });
    await tokenBox.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await panel.locator('tr[data-editor="chloe"]').waitFor();

    await page.screenshot({ path: join(ARTIFACTS_DIR, 'editors.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await tokenBox.getByRole('button', { name: 'Done, I have copied it' }).click();
    await tokenBox.waitFor({ state: 'detached' });
    // Gone for good: nothing on the screen or from the API shows the token again.
    expect(await page.content()).not.toContain(token);

    await page.getByLabel('Role of chloe').selectOption('admin');
    await eventually(async () => (await stack.request('GET', '/api/me', { token })).body.role === 'admin', 'admin');
    await expect.poll(() => page.getByLabel('Role of chloe').inputValue()).toBe('admin');

    await panel.locator('tr[data-editor="chloe"]').getByRole('button', { name: 'Revoke…' }).click();
    await page.getByRole('button', { name: 'Revoke chloe' }).click();
    await expect.poll(() => panel.locator('tr[data-editor="chloe"]').innerText()).toMatch(/Revoked/);
    expect((await stack.request('GET', '/api/me', { token })).status).toBe(401);

    // The story's audit trail, from the story.
    await page.locator('#story-list a.story-item', { hasText: 'Audited story' }).click();
    await page.getByRole('button', { name: 'Audit trail' }).click();
    const audit = page.locator('#audit-panel');
    await audit.locator('tbody tr').first().waitFor();
    expect(await audit.locator('tbody').innerText()).toMatch(/tester\s+posted\s+a1/);
    expect(await audit.locator('tbody').innerText()).toMatch(/tester\s+created the story/);
    await audit.screenshot({ path: join(ARTIFACTS_DIR, 'audit-trail.png') });
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'audit-trail-page.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('shows an editor neither the Editors screen nor the audit trail, and lets them sign their byline', async () => {
    const story = await newStory('Not for editors');
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await signIn(page, stack.urls[0], annaToken);
    await page.goto(`${stack.urls[0]}/admin#story=${story.id}`);
    await page.locator('#dashboard-view').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('#story-title').innerText()).toBe('Not for editors');
    expect(await page.locator('#editors-link').isHidden()).toBe(true);
    expect(await page.locator('#audit-toggle').isHidden()).toBe(true);

    // Their own byline, and a post signed by two from the composer.
    await page.getByText('Your byline').click();
    await page.locator('#own-byline').getByLabel('Title').fill('Kyiv bureau chief');
    await page.getByRole('button', { name: 'Save byline' }).click();
    await eventually(
      async () => (await stack.request('GET', '/api/me', { token: annaToken })).body.title === 'Kyiv bureau chief',
      'the new title',
    );
    await page.locator('#composer-body').fill('A joint report from the station.');
    await page.getByLabel(/^Byline/).fill('anna, ben');
    await page.getByRole('button', { name: 'Publish' }).click();
    const row = page.locator('#update-list .update', { hasText: 'joint report' });
    await expect.poll(() => row.innerText(), { timeout: 30_000 }).toMatch(/By Anna Kovalenko and Ben Okafor/);
    const { body: list } = await stack.request('GET', `/api/stories/${story.id}/updates`);
    expect(list.updates[0].authors.map((a: { name: string }) => a.name)).toEqual(['anna', 'ben']);

    await page.goto(`${stack.urls[0]}/admin#editors`);
    await page.locator('#dashboard-view').waitFor({ state: 'visible' });
    expect(await page.locator('#editors-panel').isHidden()).toBe(true);
    await context.close();
  });
});
