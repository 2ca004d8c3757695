/**
 * Photos in the dashboard with a real browser, server, sharp and Redis: pick a file, see it, be
 * asked for alt text, publish, and find the figure on the reader page with its size set. Drop and
 * paste open the same dialog. axe checks the composer with the upload UI open and closed.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.ts';
import { ARTIFACTS_DIR, collectPageErrors, launchBrowser } from '../helpers/browser.ts';
import { signIn } from '../helpers/dashboard.ts';
import { cameraJpeg } from '../helpers/photos.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sp-media-browser-'));
  stack = await startStack({ workers: 1, env: { MEDIA_DIR: dir } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A file handed to the composer as a paste or a drop would hand it. */
async function handOver(page: Page, kind: 'paste' | 'drop'): Promise<void> {
  await page.evaluate((how) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], 'pasted.jpg', { type: 'image/jpeg' }));
    const target = document.getElementById('composer-body')!;
    const event =
      how === 'paste'
        ? new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true })
        : new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true });
    target.dispatchEvent(event);
  }, kind);
}

it('uploads a photo from the composer, asks for alt text, and publishes it as a figure', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  const pageErrors = collectPageErrors(page);
  const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Bridge fire' } });
  await signIn(page, stack.urls[0], stack.token, `#${story.id}`);
  await page.locator('#story-list a.story-item', { hasText: 'Bridge fire' }).click();
  const body = page.locator('#composer-body');
  await body.fill('Smoke rises over the old bridge.');
  await body.press('Control+End');

  // Drop and paste open the alt-text dialog just as the picker does.
  const dialog = page.locator('#photo-dialog');
  for (const kind of ['paste', 'drop'] as const) {
    await handOver(page, kind);
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  // The picker: the dialog shows the photo and asks for its alt text before uploading.
  const photo = await cameraJpeg(1800, 1200);
  await page
    .locator('#composer-photo-file')
    .setInputFiles({ name: 'bridge.jpg', mimeType: 'image/jpeg', buffer: photo });
  await dialog.waitFor({ state: 'visible' });
  await expect
    .poll(() => page.locator('#photo-preview').evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBe(1800);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('photo-alt');
  await dialog.getByRole('button', { name: 'Upload and insert' }).click();
  await expect.poll(() => dialog.getByRole('alert').innerText()).toMatch(/alt text/i);
  expect(await dialog.getByLabel('Alt text').getAttribute('aria-invalid')).toBe('true');

  expect(await axeViolations(page, { include: ['#composer', '#photo-dialog'] })).toEqual([]);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'composer-photo-dialog.png') });

  await dialog.getByLabel('Alt text').fill('Black smoke above the old stone bridge');
  await dialog.getByLabel('Caption').fill('The bridge at 07:10');
  await dialog.getByLabel('Credit').fill('Photo: A. Reporter');
  await dialog.getByRole('button', { name: 'Upload and insert' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const text = await body.inputValue();
  expect(text).toMatch(
    /^Smoke rises over the old bridge\.\n\n!\[Black smoke above the old stone bridge\]\(\/media\/[0-9a-f]{24}-1600\.jpg\)$/,
  );
  const previewImg = page.locator('#composer-preview figure img');
  await expect.poll(() => previewImg.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  expect(await page.locator('#composer-preview figcaption').innerText()).toBe('The bridge at 07:10 Photo: A. Reporter');
  expect(await axeViolations(page, { include: ['#composer', '#photo-dialog'] })).toEqual([]);
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'composer-photo.png'), fullPage: true });

  // A photo whose alt text was deleted by hand is not published.
  await body.fill(text.replace(/!\[[^\]]*\]/, '![]'));
  await body.press('Control+Enter');
  await expect.poll(() => page.locator('#problem').innerText()).toMatch(/alt text/i);
  expect((await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq).toBe(0);

  await body.fill(text);
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.locator('#update-list .update[data-state="published"] figure img').waitFor();

  // The reader page: a figure whose box is reserved by width and height before the photo loads.
  const reader = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await reader.goto(`${stack.urls[0]}/stories/${story.slug}`);
  const img = reader.locator('article figure img');
  await img.waitFor();
  const shown = await img.evaluate((el: HTMLImageElement) => ({
    width: el.getAttribute('width'),
    height: el.getAttribute('height'),
    alt: el.alt,
    loading: el.loading,
    ratio: el.getBoundingClientRect().height / el.getBoundingClientRect().width,
    current: el.currentSrc,
  }));
  expect(shown).toMatchObject({
    width: '1600',
    height: '1067',
    alt: 'Black smoke above the old stone bridge',
    loading: 'lazy',
  });
  expect(shown.ratio).toBeCloseTo(1067 / 1600, 2);
  expect(await reader.locator('article figcaption').innerText()).toBe('The bridge at 07:10 Photo: A. Reporter');
  await reader.screenshot({ path: join(ARTIFACTS_DIR, 'reader-photo.png'), fullPage: true });
  expect(pageErrors).toEqual([]);
  await reader.close();
  await page.close();
});
