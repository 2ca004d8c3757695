/**
 * The XSS corpus in Chromium. Every payload is posted as an update (body and title), once as
 * written (calling alert) and once with a canary (setting `top.__xss`), plus canary-only key
 * events, three of them pinned; the story's own title and summary are payloads too. The reader
 * page and the editor dashboard then show all of it: server-rendered, loaded page by page by
 * their scripts, arriving live over Socket.IO, and (dashboard) rendered in the composer preview.
 * Each page is scrolled through, hovered and tabbed, and must show no sign of a payload running:
 * no dialog, no canary, no call of a tripwired sink, no Content-Security-Policy violation, no
 * script, frame or event handler in what a payload produced. Each page is checked twice: with
 * the server's CSP in force (a violation means a payload reached the DOM in a runnable form), and
 * with CSP bypassed (so a payload the sanitizer let through would really run).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { signIn } from '../helpers/dashboard.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { CANARY_SCRIPT, XSS_CANARY_CORPUS, XSS_CORPUS, type XssPayload, UPDATE_TAGS } from '../helpers/xss-corpus.ts';

const SLUG = 'xss-corpus';
const STORY_TITLE = `<img src=x onerror=${CANARY_SCRIPT}> Storm "live" </title><script>${CANARY_SCRIPT}</script>`;
const STORY_SUMMARY = `<svg onload=${CANARY_SCRIPT}> ' " & summary`;
/** C0 controls (but tab and newlines) and DEL: the API refuses them in any JSON string. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Payloads that also arrive live, while a page is open. */
const LIVE_PAYLOADS: XssPayload[] = XSS_CANARY_CORPUS.filter((p) =>
  /<img src=x onerror|<svg onload|<iframe srcdoc|<math><mtext>|<noscript>|<details open|link javascript:|<a onclick/.test(
    p.source,
  ),
);

let stack: Stack;
let browser: Browser;
let storyId: string;
const posted: { id: string; payload: XssPayload; status: number; code: string | undefined }[] = [];

/** Posts one update; returns whether it was accepted. */
async function post(id: string, payload: XssPayload, fields: Record<string, unknown>): Promise<boolean> {
  const answer = await stack.request('POST', `/api/stories/${storyId}/updates`, {
    body: { id, body: payload.source, ...fields },
  });
  posted.push({ id, payload, status: answer.status, code: answer.body?.error?.code });
  return answer.status === 202;
}

async function allUpdateIds(): Promise<string[]> {
  const ids: string[] = [];
  let before: string | null = null;
  do {
    const page = await stack.request(
      'GET',
      `/api/stories/${storyId}/updates?limit=100${before ? `&before=${before}` : ''}`,
    );
    expect(page.status).toBe(200);
    ids.push(...page.body.updates.map((u: { id: string }) => u.id));
    before = page.body.next;
  } while (before);
  return ids.sort();
}

async function settled(): Promise<void> {
  const accepted = posted.filter((p) => p.status === 202).length;
  await eventually(
    async () => (await stack.request('GET', `/api/stories/${storyId}`)).body.lastSeq === accepted,
    'every accepted update applied',
  );
}

beforeAll(async () => {
  stack = await startStack({ workers: 1 });
  browser = await launchBrowser();
  const story = await stack.request('POST', '/api/stories', {
    body: { title: STORY_TITLE, slug: SLUG, summary: STORY_SUMMARY },
  });
  expect(story.status).toBe(201);
  storyId = story.body.id;
  let pins = 0;
  for (const [i, payload] of XSS_CORPUS.entries()) {
    await post(`raw-${i}`, payload, { title: payload.source.slice(0, 200) });
    const canary = XSS_CANARY_CORPUS[i]!;
    await post(`canary-${i}`, canary, { title: canary.source.slice(0, 200) });
    const pinned = pins < 3 && /onerror|onload/.test(canary.source) && !CONTROL.test(canary.source);
    if ((await post(`key-${i}`, canary, { keyEvent: true, pinned })) && pinned) pins++;
  }
  await settled();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

it('accepts the whole corpus but the payloads with control characters, which are refused with 400 BAD_REQUEST', () => {
  const refused = posted.filter((p) => p.status !== 202);
  expect(posted.length).toBe(XSS_CORPUS.length * 3);
  for (const p of refused) {
    expect({ name: p.payload.name, status: p.status, code: p.code }).toEqual({
      name: p.payload.name,
      status: 400,
      code: 'BAD_REQUEST',
    });
    expect(p.payload.source, p.payload.name).toMatch(CONTROL);
  }
  const withControl = posted.filter((p) => CONTROL.test(p.payload.source));
  expect(refused.length).toBe(withControl.length);
  expect(posted.length - refused.length).toBeGreaterThanOrEqual(Math.ceil(posted.length * 0.95));
});

// ---------------------------------------------------------------------------------------------
// Tripwires and checks
// ---------------------------------------------------------------------------------------------

/**
 * Runs in every frame before any page script. Script sinks (dialogs, print, window.open) are
 * recorded and then still called, so that a dialog also reaches the `dialog` listener; every
 * Content-Security-Policy violation is recorded too. Nothing here sets `__xss`: only a payload can.
 */
function installTripwires(): void {
  const sinks: string[] = [];
  Object.defineProperty(window, '__xssSinks', { value: sinks });
  const record = (what: string) => sinks.push(what.slice(0, 200));
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open'] as const) {
    const original = window[name] as (...args: unknown[]) => unknown;
    Object.defineProperty(window, name, {
      configurable: true,
      writable: true,
      value: function tripwire(this: unknown, ...args: unknown[]) {
        record(`${name}(${args.map(String).join(', ')})`);
        return original.apply(this, args);
      },
    });
  }
  document.addEventListener(
    'securitypolicyviolation',
    (event) => {
      record(
        `CSP ${event.violatedDirective} blocked ${event.blockedURI} in ${event.sourceFile}:${event.lineNumber} sample=${event.sample}`,
      );
    },
    true,
  );
}

const ALLOWED_TAGS = [...UPDATE_TAGS];

interface DomReport {
  /** Elements rendered from update HTML. */
  rendered: number;
  scriptsInBodies: number;
  problems: string[];
  foreignScripts: string[];
  frames: number;
}

/** Inspects the live DOM: what updates rendered, and every script and frame element of the page. */
async function inspectDom(page: Page, renderedSelector: string, ownScript: string): Promise<DomReport> {
  return page.evaluate(
    ([selector, allowed, own]) => {
      const allowedTags = new Set(allowed);
      const problems: string[] = [];
      let rendered = 0;
      let scriptsInBodies = 0;
      for (const container of document.querySelectorAll(selector)) {
        scriptsInBodies += container.querySelectorAll('script').length;
        for (const element of container.querySelectorAll('*')) {
          rendered++;
          const tag = element.tagName.toLowerCase();
          const where = `<${tag}> in ${container.closest('[id]')?.id ?? selector}`;
          if (!allowedTags.has(tag)) problems.push(`${where}: tag not allowed`);
          for (const attribute of element.attributes) {
            const name = attribute.name.toLowerCase();
            if (name.startsWith('on')) problems.push(`${where}: event handler ${name}="${attribute.value}"`);
            if (
              ['style', 'srcdoc', 'formaction', 'action', 'xlink:href', 'background', 'data', 'poster'].includes(name)
            )
              problems.push(`${where}: attribute ${name}`);
            if (name === 'href' || name === 'src') {
              const protocol = new URL(attribute.value, location.href).protocol;
              const safe = name === 'src' ? ['http:', 'https:'] : ['http:', 'https:', 'mailto:', 'tel:'];
              if (!safe.includes(protocol)) problems.push(`${where}: ${name} with ${protocol} (${attribute.value})`);
            }
          }
        }
      }
      const foreignScripts = [...document.querySelectorAll('script')]
        .filter(
          (s) =>
            !(
              s.type === 'application/ld+json' ||
              s.id === 'story-bootstrap' ||
              (s.type === 'module' && s.getAttribute('src')?.startsWith(own))
            ),
        )
        .map((s) => s.outerHTML.slice(0, 200));
      const frames = document.querySelectorAll('iframe, frame, object, embed').length;
      return { rendered, scriptsInBodies, problems, foreignScripts, frames };
    },
    [renderedSelector, ALLOWED_TAGS, ownScript] as const,
  );
}

interface Watch {
  dialogs: string[];
  pageErrors: string[];
  /** Requests to other origins that are not images (the corpus links to images at a.example). */
  foreignRequests: string[];
}

async function newWatchedPage(context: BrowserContext): Promise<{ page: Page; watch: Watch }> {
  const watch: Watch = { dialogs: [], pageErrors: [], foreignRequests: [] };
  const origin = new URL(stack.urls[0]!).origin;
  // Nothing leaves the machine; a script, style or frame fetched from elsewhere is recorded.
  await context.route(
    (url) => url.origin !== origin,
    (route) => {
      const request = route.request();
      if (request.resourceType() !== 'image') watch.foreignRequests.push(`${request.resourceType()} ${request.url()}`);
      return route.abort();
    },
  );
  await context.addInitScript(installTripwires);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('dialog', (dialog) => {
    watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (error) => watch.pageErrors.push(error.message));
  return { page, watch };
}

/** Scrolls from top to bottom in steps, hovers the links and images updates produced, and tabs through the page. */
async function exercise(page: Page, renderedSelector: string): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.mouse.move(400, 300);
  for (let y = 0; y < height; y += 700) {
    await page.mouse.wheel(0, 700);
    await page.waitForTimeout(15);
  }
  const targets = page.locator(`${renderedSelector} a, ${renderedSelector} img`);
  const count = Math.min(await targets.count(), 40);
  for (let i = 0; i < count; i++) {
    const target = targets.nth(i);
    if (await target.isVisible()) await target.hover({ timeout: 2_000 }).catch(() => undefined);
  }
  await page.mouse.move(5, 5);
  await page.evaluate(() => window.scrollTo(0, 0));
  for (let i = 0; i < 40; i++) await page.keyboard.press('Tab');
  // Handlers of failed images run asynchronously: give them a moment.
  await page.waitForTimeout(300);
}

/** The canary and the tripwire record of every frame of the page. */
async function frameSignals(page: Page): Promise<{ url: string; xss: unknown; sinks: string[] }[]> {
  return Promise.all(
    page.frames().map(async (frame) => ({
      url: frame.url(),
      ...(await frame.evaluate(() => ({
        xss: (window as unknown as { __xss?: unknown }).__xss,
        sinks: [...((window as unknown as { __xssSinks?: string[] }).__xssSinks ?? ['tripwires missing'])],
      }))),
    })),
  );
}

async function expectNothingRan(
  page: Page,
  watch: Watch,
  renderedSelector: string,
  ownScript: string,
  minRendered: number,
): Promise<void> {
  const dom = await inspectDom(page, renderedSelector, ownScript);
  expect(dom.rendered, 'the checks must have seen the rendered updates').toBeGreaterThanOrEqual(minRendered);
  // One comparison, so that a failure shows every signal at once.
  expect({
    dialogs: watch.dialogs,
    frames: await frameSignals(page),
    scriptsInUpdates: dom.scriptsInBodies,
    unsafeMarkup: dom.problems,
    foreignScripts: dom.foreignScripts,
    frameElements: dom.frames,
    pageErrors: watch.pageErrors,
    foreignRequests: watch.foreignRequests,
  }).toEqual({
    dialogs: [],
    frames: [{ url: page.url(), xss: undefined, sinks: [] }],
    scriptsInUpdates: 0,
    unsafeMarkup: [],
    foreignScripts: [],
    frameElements: 0,
    pageErrors: [],
    foreignRequests: [],
  });
}

/** The module script's path prefix: the built bundles under /assets/. */
const OWN_SCRIPTS = '/assets/';

async function postLive(label: string): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, payload] of LIVE_PAYLOADS.entries()) {
    const id = `live-${label}-${i}`;
    if (await post(id, payload, { title: payload.source.slice(0, 200), keyEvent: i % 2 === 0 })) ids.push(id);
  }
  expect(ids.length).toBe(LIVE_PAYLOADS.length);
  return ids;
}

/** [how the page is checked, bypassCSP] */
const MODES: [string, boolean][] = [
  ['with the Content-Security-Policy in force', false],
  ['with CSP bypassed, so only the sanitizer stands in the way', true],
];

// ---------------------------------------------------------------------------------------------
// The reader page
// ---------------------------------------------------------------------------------------------

describe('the reader page', () => {
  it.each(MODES)('shows every payload, live ones included, and runs none, %s', async (_mode, bypassCSP) => {
    const context = await browser.newContext({ bypassCSP, viewport: { width: 1000, height: 800 } });
    try {
      const { page, watch } = await newWatchedPage(context);
      await page.goto(`${stack.urls[0]}/stories/${SLUG}`);
      await expect.poll(() => page.locator('#connection').getAttribute('data-state')).toBe('live');
      expect(await page.locator('h1').textContent()).toBe(STORY_TITLE);
      expect(await page.locator('.summary').textContent()).toBe(STORY_SUMMARY);
      expect(await page.title()).toBe(STORY_TITLE);
      await page.evaluate(() => {
        (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
      });

      // Live: posted while the page is open, delivered over Socket.IO, inserted by the reader script.
      await page.evaluate(() => window.scrollTo(0, 0));
      const live = await postLive(bypassCSP ? 'bypass' : 'csp');
      for (const id of live) await page.locator(`#update-${id}`).waitFor({ state: 'attached' });
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      await settled();

      // Older pages, loaded by the reader script until there are no more.
      while ((await page.locator('#load-older').count()) > 0) {
        const before = await page.locator('article.update').count();
        await page.locator('#load-older').click();
        await expect
          .poll(
            async () =>
              (await page.locator('#load-older').count()) === 0 ||
              (await page.locator('article.update').count()) > before,
          )
          .toBe(true);
      }
      const shown = await page
        .locator('#updates article.update, #pinned article.update')
        .evaluateAll((articles) => articles.map((a) => a.getAttribute('data-id') ?? ''));
      expect(shown.sort()).toEqual(await allUpdateIds());
      expect(await page.locator('#pinned article.update').count()).toBe(3);
      expect(await page.locator('#key-events li').count()).toBeGreaterThan(0);

      await exercise(page, '.update-body');
      await expectNothingRan(
        page,
        watch,
        '.update-body, .update-title, #key-events, h1, .summary',
        OWN_SCRIPTS,
        shown.length / 2,
      );
    } finally {
      await context.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The editor dashboard
// ---------------------------------------------------------------------------------------------

/** Everything the composer preview may render: the canary corpus the API accepts, in one draft. */
const PREVIEW_DRAFT = XSS_CANARY_CORPUS.filter((p) => !CONTROL.test(p.source))
  .map((p) => p.source)
  .join('\n\n');
/** And some of the nastiest one by one. */
const PREVIEW_SINGLES = LIVE_PAYLOADS.slice(0, 6);

async function previewOf(page: Page, text: string): Promise<void> {
  const answered = page.waitForResponse(
    (r) =>
      r.url().endsWith('/api/preview') && r.request().postData()?.includes(JSON.stringify(text).slice(1, 40)) === true,
  );
  await page.locator('#composer-body').fill(text);
  expect((await answered).status()).toBe(200);
  await expect
    .poll(
      async () =>
        (await page.locator('#composer-preview').getAttribute('aria-busy')) === null &&
        (await page.locator('#composer-preview .placeholder').count()) === 0,
    )
    .toBe(true);
}

describe('the editor dashboard', () => {
  it.each(MODES)('lists every payload, previews a malicious draft, and runs none, %s', async (_mode, bypassCSP) => {
    const context = await browser.newContext({ bypassCSP, viewport: { width: 1280, height: 900 } });
    try {
      const { page, watch } = await newWatchedPage(context);
      await signIn(page, stack.urls[0], stack.token);
      await page.locator('#story-list a.story-item', { hasText: 'Storm "live"' }).click();
      await expect.poll(() => page.locator('#story-title').textContent()).toBe(STORY_TITLE);
      await expect.poll(() => page.locator('#story-feed').getAttribute('data-status')).toBe('live');

      const rows = page.locator('#update-list > li.update');
      const live = await postLive(bypassCSP ? 'admin-bypass' : 'admin-csp');
      for (const id of live) await page.locator(`#update-${id}[data-state="published"]`).waitFor({ state: 'attached' });
      await settled();
      while (await page.locator('#load-older').isVisible()) {
        const before = await rows.count();
        await page.locator('#load-older').click();
        await expect
          .poll(async () => !(await page.locator('#load-older').isVisible()) || (await rows.count()) > before)
          .toBe(true);
      }
      const expected = await allUpdateIds();
      await expect.poll(() => rows.count()).toBe(expected.length);
      const listed = await rows.evaluateAll((items) => items.map((li) => li.id.replace(/^update-/, '')));
      expect(listed.sort()).toEqual(expected);

      for (const payload of PREVIEW_SINGLES) await previewOf(page, payload.source);
      await previewOf(page, PREVIEW_DRAFT);
      expect(await page.locator('#composer-preview *').count()).toBeGreaterThan(50);

      await exercise(page, '#update-list .update-body, #composer-preview');
      expect(await page.locator('#story-list .story-item-title', { hasText: 'Storm "live"' }).textContent()).toBe(
        STORY_TITLE,
      );
      await expectNothingRan(
        page,
        watch,
        '#update-list .update-body, #update-list .update-title, #composer-preview, .story-item-title, #story-title',
        OWN_SCRIPTS,
        expected.length / 2,
      );
    } finally {
      await context.close();
    }
  });
});
