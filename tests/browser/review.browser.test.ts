/**
 * The review step in a real browser against a real stack: a contributor submits from the
 * dashboard ("Submit for review", no pin or alert options), an editor sees the queue's count and
 * approves one after editing it; another is rejected, and the contributor sees the note. Axe
 * checks both views; screenshots of both go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { expectNoAxeViolations } from '../helpers/axe.ts';
import { ARTIFACTS_DIR, collectPageErrors, launchBrowser, text } from '../helpers/browser.ts';
import { signIn } from '../helpers/dashboard.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let browser: Browser;
let contributorToken: string;
let editorToken: string;

beforeAll(async () => {
  stack = await startStack({ workers: 1 });
  const editors = createEditorStore(stack.redis, createKeys(stack.config.keyPrefix));
  contributorToken = (await editors.add('carla', 'contributor')).token;
  editorToken = (await editors.add('eve', 'editor')).token;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function openDashboard(token: string, storyId: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(30_000);
  const errors = collectPageErrors(page);
  await signIn(page, stack.urls[0], token, `#story=${storyId}`);
  await page.locator('#story-panel').waitFor({ state: 'visible' });
  return { page, errors };
}

async function submitFromComposer(page: Page, title: string, body: string): Promise<void> {
  const composer = page.locator('#composer');
  await composer.getByLabel('Title').fill(title);
  await composer.getByLabel('Update').fill(body);
  await composer.getByRole('button', { name: 'Submit for review' }).click();
  await page.locator('#review-list .review-item', { hasText: title }).waitFor();
}

it('a contributor submits, an editor approves one and rejects another, the contributor sees the note', async () => {
  const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Harbour fire' } });
  const contributor = await openDashboard(contributorToken, story.id);
  const cPage = contributor.page;

  // The contributor's dashboard: "Submit for review", no pin/alert options, no story controls.
  expect(await text(cPage.locator('#review-title'))).toBe('My submissions');
  expect(await cPage.locator('#composer-pinned').isVisible()).toBe(false);
  expect(await cPage.locator('#composer-notify').isVisible()).toBe(false);
  expect(await cPage.locator('#composer-breaking').isVisible()).toBe(false);
  expect(await cPage.locator('#story-status-toggle').isVisible()).toBe(false);
  await submitFromComposer(cPage, 'Smoke over the docks', 'Thick **smoke** over dock 4.');
  await submitFromComposer(cPage, 'Cause known', 'The fire was arson.');
  expect(await text(cPage.locator('#review-count'))).toBe('2');
  // Nothing is public yet.
  expect((await stack.request('GET', `/api/stories/${story.id}/updates`)).body.updates).toEqual([]);

  // The editor sees the queue with its count, approves one after editing it, rejects the other.
  const editor = await openDashboard(editorToken, story.id);
  const ePage = editor.page;
  expect(await text(ePage.locator('#review-title'))).toBe('Review queue');
  await expect.poll(() => text(ePage.locator('#review-count'))).toBe('2');
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await ePage.locator('#review').screenshot({ path: join(ARTIFACTS_DIR, 'review-queue.png') });
  await expectNoAxeViolations(ePage);

  const smoke = ePage.locator('#review-list .review-item', { hasText: 'Smoke over the docks' });
  await smoke.getByRole('button', { name: 'Edit and approve' }).click();
  await smoke.getByLabel('Title (optional)').fill('Smoke over dock 4');
  await smoke.getByLabel('Key event').check();
  await expectNoAxeViolations(ePage);
  await smoke.getByRole('button', { name: 'Approve and publish' }).click();
  const published = ePage.locator('#update-list .update[data-state="published"]', { hasText: 'Smoke over dock 4' });
  await published.waitFor();
  expect(await text(published)).toMatch(/carla/);

  const cause = ePage.locator('#review-list .review-item', { hasText: 'Cause known' });
  await cause.getByRole('button', { name: 'Reject' }).click();
  await cause.getByLabel('Note to the contributor').fill('Who says so? Name the fire service.');
  await cause.getByRole('button', { name: 'Send back' }).click();
  await expect.poll(() => text(ePage.locator('#review-count'))).toBe('0');
  expect(await text(ePage.locator('#review-empty'))).toMatch(/Nothing is waiting/);

  // Published once, with the editor's edits; the rejected one stays private.
  await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}/updates`)).body.updates.length);
  const { body: page1 } = await stack.request('GET', `/api/stories/${story.id}/updates`);
  expect(page1.updates).toMatchObject([{ title: 'Smoke over dock 4', keyEvent: true, author: 'carla' }]);

  // The contributor sees the note, edits and resubmits.
  const rejected = cPage.locator('#review-list .review-item[data-state="rejected"]');
  await expect.poll(() => text(rejected), { timeout: 30_000 }).toMatch(/Who says so\? Name the fire service\./);
  expect(await text(cPage.locator('#review-list'))).not.toMatch(/Smoke over the docks/);
  await expectNoAxeViolations(cPage);
  await cPage.locator('#review').screenshot({ path: join(ARTIFACTS_DIR, 'review-contributor.png') });
  await cPage.screenshot({ path: join(ARTIFACTS_DIR, 'review-contributor-page.png'), fullPage: true });
  await rejected.getByRole('button', { name: 'Edit and resubmit' }).click();
  await rejected.getByLabel('Update (Markdown)').fill('The fire was arson, the fire service says.');
  await rejected.getByRole('button', { name: 'Resubmit' }).click();
  await cPage.locator('#review-list .review-item[data-state="pending"]', { hasText: 'fire service says' }).waitFor();
  await expect.poll(() => text(ePage.locator('#review-count')), { timeout: 30_000 }).toBe('1');

  expect(contributor.errors).toEqual([]);
  expect(editor.errors).toEqual([]);
});
