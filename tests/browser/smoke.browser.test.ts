import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
  await stack.close();
});

it('serves the story page, its bundle and the dashboard to a real browser', async () => {
  const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Browser smoke' } });
  const page = await browser.newPage();
  const failed: string[] = [];
  // A request the next navigation cancels (the favicon, say) is not a failure; a missing file is a 404 below.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') failed.push(r.url());
  });
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${stack.urls[0]}/stories/${story.slug}`);
  expect(await page.locator('h1').textContent()).toBe('Browser smoke');
  await page.goto(`${stack.urls[0]}/admin`);
  expect(await page.title()).toContain('Dashboard');
  expect(failed).toEqual([]);
});
