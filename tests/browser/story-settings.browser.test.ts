/**
 * Story settings in a real browser: the dashboard offers "New story" to admins only; an editor
 * changes a story's title, summary and key points and ends and reopens it; an open reader page
 * gets the new "What we know" block without a reload; and an alert's counters show after a
 * dashboard reload. Screenshots of both screens go to test-artifacts/, and axe checks them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.ts';
import { ARTIFACTS_DIR, launchBrowser, text } from '../helpers/browser.ts';
import { signIn } from '../helpers/dashboard.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  stack = await startStack({ workers: 1 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function openDashboard(token: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  await signIn(page, stack.urls[0], token);
  return page;
}

it('shows "New story" to admins only', async () => {
  const { body } = await stack.request('POST', '/api/editors', { body: { name: 'night-desk', role: 'editor' } });
  const editorPage = await openDashboard(body.token);
  await editorPage.locator('#story-list-empty, #story-list li').first().waitFor({ state: 'attached' });
  expect(await editorPage.locator('#new-story').isHidden()).toBe(true);
  await editorPage.close();
  const adminPage = await openDashboard(stack.token);
  await adminPage.locator('#new-story').waitFor({ state: 'visible' });
  await adminPage.close();
});

it('lets an editor run the story settings, updates an open reader page live, and keeps alert counters', async () => {
  const { body: created } = await stack.request('POST', '/api/editors', { body: { name: 'desk', role: 'editor' } });
  const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Bridge closed' } });
  await stack.request('POST', `/api/stories/${story.id}/updates`, {
    body: { id: 'ferries', body: 'Ferries run every **20 minutes**.', notify: true },
  });
  await eventually(
    async () => (await stack.request('GET', `/api/stories/${story.id}/alerts`)).body.alerts.length === 1,
    'the alert',
  );

  const reader = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  reader.setDefaultTimeout(20_000);
  await reader.goto(`${stack.urls[0]}/stories/${story.slug}`);
  await expect.poll(() => reader.locator('#connection').getAttribute('data-state')).toBe('live');
  expect(await reader.locator('#key-points').isHidden()).toBe(true);
  await reader.evaluate(() => ((window as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true));

  const page = await openDashboard(created.token);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  expect(await page.locator('#new-story').isHidden()).toBe(true);
  await page.locator('#story-list a.story-item', { hasText: 'Bridge closed' }).click();
  await expect.poll(() => text(page.locator('#story-title'))).toBe('Bridge closed');

  // The alert posted elsewhere shows its counters, and still does after a reload.
  const ferries = page.locator('#update-ferries');
  await expect.poll(() => text(ferries.locator('.delivery'))).toMatch(/0 targeted · 0 sent/);
  await page.reload();
  await page.locator('#dashboard-view').waitFor({ state: 'visible' });
  await expect.poll(() => text(ferries.locator('.delivery'))).toMatch(/0 targeted · 0 sent · 0 failed/);
  expect(await ferries.getAttribute('data-state')).toBe('alerted');

  // A key points value that is no list is refused next to its field.
  const settings = page.locator('#story-settings');
  await settings.locator('summary').click();
  const form = settings.locator('form');
  await form.getByLabel('Title').fill('Bridge closed: live');
  await form.getByLabel('Summary').fill('Traffic and ferries while the bridge is shut');
  const keyPoints = form.getByLabel(/What we know/);
  await keyPoints.fill('The bridge is closed.');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect.poll(() => text(page.locator('#settings-keyPoints-error'))).toMatch(/as a list/);
  expect(await keyPoints.getAttribute('aria-invalid')).toBe('true');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('settings-keyPoints');

  await keyPoints.fill('- The bridge is closed in both directions\n- **Two** extra ferries run');
  expect(await page.locator('#settings-keyPoints-error').isHidden()).toBe(true);
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expect.poll(() => text(page.locator('#notice'))).toMatch(/Story settings saved/);
  await expect.poll(() => text(page.locator('#story-title'))).toBe('Bridge closed: live');

  // The open reader page changed without a reload.
  await reader.locator('#key-points').waitFor({ state: 'visible' });
  expect(await reader.locator('#key-points li').allInnerTexts()).toEqual([
    'The bridge is closed in both directions',
    'Two extra ferries run',
  ]);
  expect(await text(reader.locator('#key-points h2'))).toBe('What we know');
  await expect.poll(() => text(reader.locator('h1'))).toBe('Bridge closed: live');
  expect(await text(reader.locator('.summary'))).toBe('Traffic and ferries while the bridge is shut');
  expect(await reader.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(
    true,
  );

  await page.screenshot({ path: join(ARTIFACTS_DIR, 'story-settings.png'), fullPage: true });
  await reader.screenshot({ path: join(ARTIFACTS_DIR, 'reader-key-points.png'), fullPage: true });
  expect(await axeViolations(page), 'dashboard').toEqual([]);
  expect(await axeViolations(reader), 'reader').toEqual([]);

  // End and reopen.
  await page.getByRole('button', { name: 'End story' }).click();
  await expect.poll(() => text(page.locator('#story-status'))).toMatch(/ended/i);
  await expect.poll(() => text(reader.locator('.live-label'))).toMatch(/coverage ended/i);
  await page.getByRole('button', { name: 'Reopen story' }).click();
  await expect.poll(() => text(page.locator('#story-status'))).toMatch(/live/i);

  const saved = (await stack.request('GET', `/api/stories/${story.id}`)).body;
  expect(saved).toMatchObject({
    title: 'Bridge closed: live',
    summary: 'Traffic and ferries while the bridge is shut',
    keyPoints: '- The bridge is closed in both directions\n- **Two** extra ferries run',
    status: 'live',
  });
  expect(pageErrors).toEqual([]);
  await Promise.all([page.close(), reader.close()]);
});
