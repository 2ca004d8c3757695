/**
 * Scheduling from the dashboard in Chromium, in an editor's time zone (Paris): the composer's
 * "Schedule" option sends the time with its offset, the "Scheduled" section counts down without
 * announcing every second, and a scheduled post can be moved and cancelled. axe finds nothing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.ts';
import { ARTIFACTS_DIR, launchBrowser } from '../helpers/browser.ts';
import { signIn } from '../helpers/dashboard.ts';
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

async function scheduledOf(storyId: string): Promise<{ id: string; body: string; publishAt: string }[]> {
  return (await stack.request('GET', `/api/stories/${storyId}/updates?status=scheduled`)).body.updates;
}

/** A datetime-local value moved by `ms` (wall-clock arithmetic, no zone involved). */
function shiftLocal(value: string, ms: number): string {
  return new Date(Date.parse(`${value}:00Z`) + ms).toISOString().slice(0, 16);
}

it('schedules from the composer, counts down, reschedules and cancels', async () => {
  const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Election night' } });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, timezoneId: 'Europe/Paris' });
  page.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await signIn(page, stack.urls[0], stack.token, `#story=${story.id}`);
  await page.locator('#story-panel').waitFor({ state: 'visible' });

  const composer = page.locator('#composer');
  await composer.getByLabel('Update').fill('Polls close at **20:00**; first projections follow.');
  await composer.getByLabel('Schedule').check();
  const when = composer.getByLabel('Publish at');
  const chosen = await when.inputValue();
  expect(await composer.locator('#composer-publish').innerText()).toBe('Schedule');
  await composer.locator('#composer-publish').click();

  const section = page.locator('#scheduled-section');
  const item = section.locator('.scheduled-item', { hasText: 'Polls close' });
  await item.waitFor();
  const [entry] = await scheduledOf(story.id);
  // The browser's Paris wall-clock time, sent with its offset, is the same instant in UTC.
  const parisOffsetMs = Date.parse(`${chosen}:00Z`) - Date.parse(entry!.publishAt);
  expect([3_600_000, 7_200_000]).toContain(parisOffsetMs);
  expect(Date.parse(entry!.publishAt) - Date.now()).toBeGreaterThan(10 * 60_000);
  expect((await stack.request('GET', `/api/stories/${story.id}/updates`)).body.updates).toEqual([]);

  const timer = item.locator('.countdown');
  expect(await timer.getAttribute('role')).toBe('timer');
  expect(await timer.getAttribute('aria-live')).toBe('off');
  const first = await timer.innerText();
  expect(first).toMatch(/^in 1\d min \d\d s$/);
  await expect.poll(() => timer.innerText(), { timeout: 10_000 }).not.toBe(first);

  // Move it an hour later.
  const newTime = shiftLocal(chosen, 3_600_000);
  await item.getByLabel('New time').fill(newTime);
  await item.getByRole('button', { name: 'Reschedule' }).click();
  await expect
    .poll(async () => (await scheduledOf(story.id))[0]?.publishAt)
    .toBe(new Date(Date.parse(entry!.publishAt) + 3_600_000).toISOString());
  await expect.poll(() => item.locator('.countdown').innerText()).toMatch(/^in 1 h 1\d min$/);

  expect(await axeViolations(page)).toEqual([]);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'dashboard-scheduled.png'), fullPage: true });

  await item.getByRole('button', { name: 'Cancel post' }).click();
  await section.locator('#scheduled-empty').waitFor({ state: 'visible' });
  expect(await scheduledOf(story.id)).toEqual([]);
  expect(await page.locator('#notice').innerText()).toMatch(/cancelled/i);
  expect(pageErrors).toEqual([]);
  await page.close();
});
