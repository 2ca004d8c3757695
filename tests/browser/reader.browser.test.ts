/** The reader's story page in Chromium: live updates, the new-updates banner, edits, deletes, no-JS, accessibility. */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.ts';
import { ARTIFACTS_DIR, launchBrowser } from '../helpers/browser.ts';
import { signIn } from '../helpers/dashboard.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  stack = await startStack({ apis: 2, workers: 1 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
  await stack.close();
});

async function newStory(title: string, updates = 0): Promise<{ id: string; slug: string }> {
  const { body: story } = await stack.request('POST', '/api/stories', {
    body: { title, summary: 'Everything we know so far' },
  });
  for (let i = 1; i <= updates; i++) {
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: `old${i}`, body: `Earlier update ${i}.\n\n${'Background paragraph. '.repeat(20)}` },
    });
  }
  if (updates)
    await eventually(
      async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === updates,
      'seed updates',
    );
  return story;
}

async function openReader(
  slug: string,
  node = 0,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1000, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${stack.urls[node]}/stories/${slug}`);
  await expect.poll(() => page.locator('#connection').getAttribute('data-state')).toBe('live');
  return page;
}

const updateIds = (page: Page) => page.locator('#updates article').evaluateAll((els) => els.map((el) => el.id));

describe('live reader pages', () => {
  it('shows a post on two readers (on two API nodes) at once, then edits and deletes in place', async () => {
    const story = await newStory('Two readers', 2);
    const [a, b] = await Promise.all([openReader(story.slug, 0), openReader(story.slug, 1)]);
    const posted = Date.now();
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'fresh', title: 'Breaking', body: 'Polls **closed**' },
    });
    for (const page of [a, b]) {
      await expect.poll(() => page.locator('#update-fresh').count(), { timeout: 1_000 }).toBe(1);
    }
    console.log(`post → both readers: ${Date.now() - posted} ms`);
    expect(await updateIds(a)).toEqual(['update-fresh', 'update-old2', 'update-old1']);
    expect(await a.locator('#update-fresh .update-body').innerHTML()).toBe('<p>Polls <strong>closed</strong></p>');
    expect(await a.locator('#update-fresh time').textContent()).toBe('just now');

    await stack.request('PATCH', `/api/stories/${story.id}/updates/fresh`, { body: { body: 'Polls closed at 10pm' } });
    for (const page of [a, b]) {
      await expect.poll(() => page.locator('#update-fresh .update-body').textContent()).toBe('Polls closed at 10pm');
      expect(await page.locator('#update-fresh .badge-edited').textContent()).toBe('Updated');
    }
    expect(await updateIds(b)).toEqual(['update-fresh', 'update-old2', 'update-old1']);

    await stack.request('DELETE', `/api/stories/${story.id}/updates/old2`);
    for (const page of [a, b]) await expect.poll(() => page.locator('#update-old2').count()).toBe(0);

    await stack.request('PATCH', `/api/stories/${story.id}/updates/old1`, { body: { pinned: true, keyEvent: true } });
    await expect.poll(() => a.locator('#pinned #update-old1').count()).toBe(1);
    expect(await a.locator('#key-events li').evaluateAll((els) => els.map((el) => el.getAttribute('data-id')))).toEqual(
      ['old1'],
    );
    expect(await a.locator('.pinned').isVisible()).toBe(true);

    await stack.request('PATCH', `/api/stories/${story.id}`, {
      body: { status: 'ended', title: 'Two readers: the end' },
    });
    await expect.poll(() => b.locator('h1').textContent()).toBe('Two readers: the end');
    expect(await b.locator('.live-label').textContent()).toBe('Coverage ended');
    await Promise.all([a.context().close(), b.context().close()]);
  });

  it('with the dashboard and two readers open: a post from the dashboard shows on both readers within a second; edit and delete follow', async () => {
    const story = await newStory('Newsroom view', 1);
    const [a, b] = await Promise.all([openReader(story.slug, 0), openReader(story.slug, 1)]);
    const dashboard = await (await browser.newContext()).newPage();
    await signIn(dashboard, stack.urls[0], stack.token, `#story=${story.id}`);
    await expect.poll(() => dashboard.locator('#story-title').textContent()).toBe('Newsroom view');
    const composer = dashboard.locator('#composer');
    await composer.getByLabel('Update').fill('Published from the **dashboard**');
    const posted = Date.now();
    await composer.getByLabel('Update').press('Control+Enter');
    const article = (page: Page) => page.locator('#updates article', { hasText: 'Published from the dashboard' });
    await Promise.all([a, b].map((page) => expect.poll(() => article(page).count(), { timeout: 1_000 }).toBe(1)));
    console.log(`dashboard post → both readers: ${Date.now() - posted} ms`);
    const id = (await article(a).getAttribute('data-id'))!;

    const row = dashboard.locator(`#update-${id}`);
    await row.getByRole('button', { name: 'Edit' }).click();
    await row.getByLabel('Text (Markdown)').fill('Corrected from the dashboard');
    await row.getByRole('button', { name: 'Save' }).click();
    for (const page of [a, b])
      await expect
        .poll(() => page.locator(`#update-${id} .update-body`).textContent())
        .toBe('Corrected from the dashboard');
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    for (const page of [a, b]) await expect.poll(() => page.locator(`#update-${id}`).count()).toBe(0);
    await Promise.all([a.context().close(), b.context().close(), dashboard.context().close()]);
  });

  it('holds new updates behind a "N new updates" banner for a scrolled reader, with (N) in the title', async () => {
    const story = await newStory('Scrolled reader', 12);
    const page = await openReader(story.slug, 0, { viewport: { width: 800, height: 600 } });
    const title = await page.title();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
    const scrollBefore = await page.evaluate(() => window.scrollY);

    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'n1', body: 'New one' } });
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'n2', body: 'New two' } });
    await expect.poll(() => page.locator('#new-updates').textContent()).toBe('2 new updates');
    expect(await page.title()).toBe(`(2) ${title}`);
    expect(await page.locator('#update-n1').count()).toBe(0);
    expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);

    await page.locator('#new-updates').click();
    await expect.poll(() => page.locator('#update-n2').count()).toBe(1);
    expect((await updateIds(page)).slice(0, 2)).toEqual(['update-n2', 'update-n1']);
    expect(await page.locator('#new-updates').isHidden()).toBe(true);
    expect(await page.title()).toBe(title);
    await page.context().close();
  });

  it('loads older updates, and toggles oldest-first', async () => {
    const story = await newStory('Older updates', 33);
    const page = await openReader(story.slug);
    expect(await page.locator('#updates article').count()).toBe(30);
    await page.locator('#load-older').click();
    await expect.poll(() => page.locator('#updates article').count()).toBe(33);
    expect(await page.locator('#load-older').count()).toBe(0);
    await page.locator('#order-toggle').click();
    expect((await updateIds(page))[0]).toBe('update-old1');
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'last', body: 'Newest' } });
    await expect.poll(async () => (await updateIds(page)).at(-1)).toBe('update-last');
    await page.reload();
    expect(await page.locator('#order-toggle').getAttribute('aria-pressed')).toBe('true');
    await page.context().close();
  });

  it('resumes from the last seq after the connection drops', async () => {
    const story = await newStory('Resume', 1);
    const page = await openReader(story.slug);
    await page.context().setOffline(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'while-away', body: 'Missed while offline' },
    });
    await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 2, 'posted');
    await page.context().setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => page.locator('#update-while-away').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('#connection').getAttribute('data-state')).toBe('live');
    await page.context().close();
  });
});

describe('without JavaScript, for machines and for everyone', () => {
  it('lists the updates with JavaScript disabled', async () => {
    const story = await newStory('No JS', 3);
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stack.urls[0]}/stories/${story.slug}`);
    expect(await updateIds(page)).toEqual(['update-old3', 'update-old2', 'update-old1']);
    expect(await page.locator('#update-old1 .update-body').textContent()).toContain('Earlier update 1.');
    await context.close();
  });

  it('has no serious accessibility violations (axe-core), and saves a phone-size screenshot', async () => {
    const story = await newStory('Accessible story', 3);
    await stack.request('PATCH', `/api/stories/${story.id}/updates/old2`, { body: { pinned: true, keyEvent: true } });
    await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 4, 'pinned');
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        colorScheme,
      });
      const page = await context.newPage();
      await page.goto(`${stack.urls[0]}/stories/${story.slug}`);
      await expect.poll(() => page.locator('#connection').getAttribute('data-state')).toBe('live');
      const violations = await axeViolations(page, { colorSchemes: [colorScheme] });
      expect(violations).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS_DIR}reader-phone-${colorScheme}.png`, fullPage: false });
      await context.close();
    }
  });

  it('is keyboard usable: skip link, order toggle and load-older are reachable with Tab', async () => {
    const story = await newStory('Keyboard', 31);
    const page = await openReader(story.slug);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    const reachable = new Set<string>();
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement?.id ?? '');
      if (id) reachable.add(id);
    }
    expect(reachable).toContain('order-toggle');
    expect(reachable).toContain('load-older');
    await page.context().close();
  });
});

describe('embedding', () => {
  let host: Server;
  afterAll(() => host?.close());

  it('puts the live feed into another site with one script tag', async () => {
    const story = await newStory('Embedded', 2);
    host = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(
        `<!doctype html><title>Host</title><h1>Someone else's site</h1><script src="${stack.urls[0]}/embed.js" data-story="${story.slug}" async></script>`,
      );
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const address = host.address() as { port: number };
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${address.port}/`);
    const frame = page.frameLocator('iframe');
    await expect.poll(() => frame.locator('#updates article').count()).toBe(2);
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'live-in-embed', body: 'Live inside the embed' },
    });
    await expect.poll(() => frame.locator('#update-live-in-embed').count()).toBe(1);
    expect(await page.locator('iframe').getAttribute('src')).toBe(`${stack.urls[0]}/stories/${story.slug}/embed`);
    await page.close();
  });
});
