import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page, Worker } from 'playwright-core';
import type { AlertPayload } from '../../src/shared/alert-payload.ts';
import { createKeys } from '../../src/store/keys.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startPushService, type PushService, type PushServiceSubscriber } from '../helpers/push-service.ts';
import type { PushSubscriptionJSON } from '../helpers/push-subscriber.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

const PUBLIC_URL = 'https://news.example';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
// The names client/sw.ts and client/push/worker-state.ts keep their state under.
const STATE_CACHE = 'stoppress-push-v1';

let stack: Stack;
let push: PushService;
let browser: Browser;
let origin: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  push = await startPushService();
  stack = await startStack({
    workers: 1,
    env: {
      PUSH_ENDPOINT_ALLOWLIST: push.origin,
      PUBLIC_URL,
      PUSH_SUBSCRIBE_RATE_PER_MINUTE: '1000',
      PUSH_RETRY_BASE_MS: '50',
    },
  });
  origin = stack.urls[0]!;
  browser = await launchBrowser();
});
afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await browser?.close();
  await stack?.close();
  await push?.close();
});

async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  contexts.push(context);
  return context;
}

async function newStory(title: string): Promise<{ id: string; slug: string }> {
  const res = await stack.request('POST', '/api/stories', { body: { title } });
  expect(res.status).toBe(201);
  return res.body;
}

/** The story page once the reader script has put the alerts box in place. */
async function openStory(page: Page, slug: string): Promise<Page> {
  await page.goto(`${origin}/stories/${slug}`);
  await page.locator('#alerts .alerts-status').waitFor({ state: 'attached' });
  return page;
}

const statusLine = (page: Page) => page.locator('#alerts [role="status"]');
type ToggleName = 'Alerts for this story' | 'Breaking news';
const toggle = (page: Page, name: ToggleName, pressed?: boolean) =>
  page.getByRole('button', { name, exact: true, ...(pressed === undefined ? {} : { pressed }) });

async function readSharedState(page: Page, key: string): Promise<unknown> {
  return page.evaluate(
    async ([cacheName, path]) => {
      const response = await (await caches.open(cacheName!)).match(path!);
      return response ? (response.json() as Promise<unknown>) : null;
    },
    [STATE_CACHE, key],
  );
}

// Now and then (about one run in three, alone or under load) one of these waits 30 s in vain for
// a notification, on a different test each time. The worker did show it (the alert is in its
// "seen" list, written after showNotification resolved), yet getNotifications() no longer has it;
// the cause is not found. A retry helps the tests that alert about a new update; one that repeats
// an update id meets the worker's own "never twice" rule and fails again.
describe('the service worker', { retry: 2 }, () => {
  interface Shown {
    title: string;
    body: string;
    tag: string;
    data: unknown;
  }

  let context: BrowserContext;
  let reader: Page;
  let sw: Worker;
  let deliver: (data: string) => Promise<void>;
  let story: { id: string; slug: string };

  async function notifications(tag?: string): Promise<Shown[]> {
    return reader.evaluate(async (wanted) => {
      const shown = await (await navigator.serviceWorker.ready).getNotifications(wanted ? { tag: wanted } : undefined);
      return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data as unknown }));
    }, tag);
  }

  /** Waits until exactly one notification carries the tag. */
  async function onlyNotification(tag: string): Promise<Shown> {
    let last: Shown[] = [];
    return eventually(async () => {
      const shown = await notifications(tag);
      last = await notifications();
      return shown.length === 1 ? shown[0] : undefined;
    }, `one notification tagged ${tag}`).catch(async (error: Error) => {
      const seen = await readSharedState(reader, '/__stoppress/seen-alerts');
      throw new Error(
        `${error.message}; shown: ${JSON.stringify(last.map((n) => n.tag))}; seen: ${JSON.stringify(seen)}`,
      );
    });
  }

  async function dismiss(tag: string): Promise<void> {
    await reader.evaluate(async (wanted) => {
      for (const n of await (await navigator.serviceWorker.ready).getNotifications({ tag: wanted })) n.close();
    }, tag);
    await eventually(async () => (await notifications(tag)).length === 0, `no notification tagged ${tag}`);
  }

  function alert(about: { id: string; slug: string }, updateId: string, breaking = false): AlertPayload {
    return {
      title: breaking ? 'Breaking: Storm' : 'Storm',
      body: `Update ${updateId}: the wind is rising`,
      url: `${origin}/stories/${about.slug}#update-${updateId}`,
      storyId: about.id,
      updateId,
      tag: `story-${about.id}`,
      icon: `${origin}/icon-192.png`,
      breaking,
    };
  }

  /** Pushes through the DevTools protocol, as the browser's push service would deliver them. */
  async function pushChannel(page: Page): Promise<(data: string) => Promise<void>> {
    const cdp = await context.newCDPSession(page);
    const registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }> = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => registrations.push(...event.registrations));
    await cdp.send('ServiceWorker.enable');
    const { registrationId } = await eventually(
      () => registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted),
      'the registration',
    );
    return async (data) => {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data });
    };
  }

  /**
   * A click on the notification, dispatched in the worker. Chromium lets only a click it
   * dispatched itself focus or open a window, so those two calls are recorded (focus still runs;
   * openWindow is answered with null), and a script-made event cannot extend its own lifetime,
   * so what the handler hands to waitUntil is awaited here instead.
   */
  async function click(tag: string): Promise<{ focused: string[]; opened: string[] }> {
    return sw.evaluate(async (wanted) => {
      const scope = self as unknown as ServiceWorkerGlobalScope;
      const [notification] = await scope.registration.getNotifications({ tag: wanted });
      if (!notification) throw new Error(`no notification tagged ${wanted}`);
      const focused: string[] = [];
      const opened: string[] = [];
      const realFocus = WindowClient.prototype.focus;
      WindowClient.prototype.focus = function (this: WindowClient) {
        focused.push(this.url);
        return realFocus.call(this);
      };
      Object.defineProperty(scope.clients, 'openWindow', {
        configurable: true,
        value: async (url: string) => {
          opened.push(url);
          return null;
        },
      });
      const event = new NotificationEvent('notificationclick', { notification });
      const work: Promise<unknown>[] = [];
      Object.defineProperty(event, 'waitUntil', { value: (promise: Promise<unknown>) => work.push(promise) });
      try {
        scope.dispatchEvent(event);
        await Promise.all(work);
      } finally {
        WindowClient.prototype.focus = realFocus;
        delete (scope.clients as { openWindow?: unknown }).openWindow;
      }
      return { focused, opened };
    }, tag);
  }

  beforeAll(async () => {
    story = await newStory('Storm');
    context = await newContext();
    await context.grantPermissions(['notifications'], { origin });
    // Holds the DevTools session and keeps the worker alive while story tabs come and go.
    const control = await openStory(await context.newPage(), (await newStory('Control')).slug);
    reader = await openStory(await context.newPage(), story.slug);
    await reader.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    sw = await eventually(
      () => context.serviceWorkers().find((w) => w.url() === `${origin}/sw.js`),
      'the service worker',
    );
    deliver = await pushChannel(control);
  });

  it('is registered for the whole site from the story page and takes control of it', async () => {
    expect(context.serviceWorkers().map((w) => w.url())).toEqual([`${origin}/sw.js`]);
    const scope = await reader.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${origin}/`);
    await eventually(
      () => reader.evaluate(() => navigator.serviceWorker.controller !== null),
      'the page to be controlled',
    );
  });

  it('shows a pushed alert as a notification tagged with its story', async () => {
    const payload = alert(story, 'u1');
    await deliver(JSON.stringify(payload));
    expect(await onlyNotification(payload.tag)).toEqual({
      title: 'Storm',
      body: payload.body,
      tag: `story-${story.id}`,
      data: { url: payload.url, updateId: 'u1', storyId: story.id },
    });
  });

  it('never shows one update twice, even after the reader dismissed it', async () => {
    const payload = alert(story, 'u1');
    await dismiss(payload.tag);
    await deliver(JSON.stringify(payload)); // the push service retrying after a timeout
    // Pushes are handled in order, so once a later alert shows, the repeat has been decided.
    const later = alert(await newStory('Later'), 'l1');
    await deliver(JSON.stringify(later));
    await onlyNotification(later.tag);
    expect(await notifications(payload.tag)).toEqual([]);
    const seen = (await readSharedState(reader, '/__stoppress/seen-alerts')) as string[];
    expect(seen.filter((id) => id === `${story.id}/u1`)).toHaveLength(1);
  });

  it('turns an unreadable or empty push into a plain notification instead of failing', async () => {
    for (const data of ['not json {', '', JSON.stringify({ title: 'no url' })]) {
      await dismiss('stoppress-generic');
      await deliver(data);
      expect(await onlyNotification('stoppress-generic')).toMatchObject({
        title: 'Stop Press',
        data: { url: `${origin}/` },
      });
    }
  });

  it('a click focuses the open story tab and takes it to the update', async () => {
    const payload = alert(story, 'u2', true);
    await deliver(JSON.stringify(payload));
    expect(await onlyNotification(payload.tag)).toMatchObject({ title: 'Breaking: Storm', data: { updateId: 'u2' } });
    const { focused, opened } = await click(payload.tag);
    expect(focused).toEqual([`${origin}/stories/${story.slug}`]);
    expect(opened).toEqual([]);
    await reader.waitForURL(payload.url);
    expect(await notifications(payload.tag)).toEqual([]);
  });

  it('a click with no tab on that story opens the update in a new window', async () => {
    const away = await newStory('Away');
    const payload = alert(away, 'a1');
    await deliver(JSON.stringify(payload));
    await onlyNotification(payload.tag);
    const { focused, opened } = await click(payload.tag);
    expect(opened).toEqual([payload.url]);
    expect(focused).toEqual([]);
  });
});

/**
 * Headless Chromium cannot reach a real push service, so PushManager hands out a subscription of
 * the test's fake push service instead. Everything after it (the API, the worker, encryption,
 * delivery) is real. Subscribing and unsubscribing are recorded in localStorage so they
 * survive reloads.
 */
function standInPushService(subscription: PushSubscriptionJSON): void {
  if (typeof PushManager === 'undefined') return;
  const SUBSCRIBED = 'test:subscribed';
  const stored = () =>
    ({
      endpoint: subscription.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: null },
      getKey: () => null,
      toJSON: () => subscription,
      unsubscribe: async () => {
        localStorage.removeItem(SUBSCRIBED);
        localStorage.setItem('test:unsubscribed', String(Number(localStorage.getItem('test:unsubscribed') ?? 0) + 1));
        return true;
      },
    }) as unknown as PushSubscription;
  PushManager.prototype.subscribe = async (options?: PushSubscriptionOptionsInit) => {
    const key = new Uint8Array(options?.applicationServerKey as ArrayBuffer);
    const keyText = btoa(String.fromCharCode(...key))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    localStorage.setItem(
      'test:subscribe-options',
      JSON.stringify({ userVisibleOnly: options?.userVisibleOnly, applicationServerKey: keyText }),
    );
    localStorage.setItem(SUBSCRIBED, '1');
    return stored();
  };
  PushManager.prototype.getSubscription = async () => (localStorage.getItem(SUBSCRIBED) ? stored() : null);
}

describe('subscribing on the story page', () => {
  const keys = () => createKeys(stack.config.keyPrefix);
  const members = (topic: string) => stack.redis.zrange(keys().push.topic(topic), '0', '-1');
  const receivedBy = (subscriber: PushServiceSubscriber) =>
    push.received.filter((r) => r.subscriberId === subscriber.id);
  const testValue = (page: Page, key: string) => page.evaluate((name) => localStorage.getItem(name), key);

  async function settled(storyId: string, updateId: string): Promise<void> {
    await eventually(async () => {
      const stats = (await stack.request('GET', `/api/stories/${storyId}/updates/${updateId}/delivery`)).body;
      return stats.targeted > 0 && stats.pending === 0;
    }, `delivery of ${updateId}`);
  }

  async function readerWithPush(subscriber: PushServiceSubscriber): Promise<BrowserContext> {
    const context = await newContext();
    await context.grantPermissions(['notifications'], { origin });
    await context.addInitScript(standInPushService, subscriber.subscription);
    return context;
  }

  it('turns story and breaking alerts on and off through the API, and alerts reach this browser once', async () => {
    const story = await newStory('Election night');
    const subscriber = push.newSubscriber('page');
    const page = await openStory(await (await readerWithPush(subscriber)).newPage(), story.slug);
    await toggle(page, 'Alerts for this story', false).waitFor();

    await toggle(page, 'Alerts for this story').click();
    await toggle(page, 'Alerts for this story', true).waitFor();
    expect(await statusLine(page).textContent()).toBe('You’ll get an alert when this story has news.');
    expect(await toggle(page, 'Alerts for this story').textContent()).toContain('On ✓');
    const { publicKey } = (await stack.request('GET', '/api/push/public-key')).body;
    expect(JSON.parse((await testValue(page, 'test:subscribe-options'))!)).toEqual({
      userVisibleOnly: true,
      applicationServerKey: publicKey,
    });
    const [id] = await members(`story:${story.id}`);
    expect(id).toBeDefined();
    expect(await readSharedState(page, '/__stoppress/subscription')).toEqual({
      endpoint: subscriber.endpoint,
      topics: [`story:${story.id}`],
      publicKey,
      apiUrl: origin,
    });

    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'e1', title: 'Polls close', body: 'Counting begins.', notify: true },
    });
    await settled(story.id, 'e1');
    expect(receivedBy(subscriber).map((r) => r.payload)).toEqual([
      {
        title: 'Election night',
        body: 'Polls close — Counting begins.',
        url: `${PUBLIC_URL}/stories/${story.slug}#update-e1`,
        storyId: story.id,
        updateId: 'e1',
        tag: `story-${story.id}`,
        icon: `${PUBLIC_URL}/icon-192.png`,
        breaking: false,
      },
    ]);

    await toggle(page, 'Breaking news').focus();
    await page.keyboard.press('Space');
    await toggle(page, 'Breaking news', true).waitFor();
    expect(await members('breaking')).toEqual([id]);
    expect(await members(`story:${story.id}`)).toEqual([id]);
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: { id: 'e2', body: 'A result', breaking: true },
    });
    await settled(story.id, 'e2');
    expect(receivedBy(subscriber).map((r) => (r.payload as AlertPayload).updateId)).toEqual(['e1', 'e2']);

    await page.reload();
    await toggle(page, 'Alerts for this story', true).waitFor();
    await toggle(page, 'Breaking news', true).waitFor();

    await toggle(page, 'Alerts for this story').click();
    await toggle(page, 'Alerts for this story', false).waitFor();
    expect(await members(`story:${story.id}`)).toEqual([]);
    expect(await members('breaking')).toEqual([id]);
    expect(await testValue(page, 'test:unsubscribed')).toBeNull();

    await toggle(page, 'Breaking news').click();
    await toggle(page, 'Breaking news', false).waitFor();
    expect(await statusLine(page).textContent()).toBe(
      'Breaking news alerts are off. No alerts are on now, so this browser is unsubscribed.',
    );
    expect(await members('breaking')).toEqual([]);
    expect(await stack.redis.exists(keys().push.subscription(id!))).toBe(0);
    expect(await testValue(page, 'test:unsubscribed')).toBe('1');
    expect(await readSharedState(page, '/__stoppress/subscription')).toBeNull();

    await page.reload();
    await toggle(page, 'Alerts for this story', false).waitFor();
    await toggle(page, 'Breaking news', false).waitFor();
    expect(push.rejected).toEqual([]);
  });

  it('shows the API’s error message when saving fails', async () => {
    const subscriber = push.newSubscriber('refused');
    const context = await readerWithPush(subscriber);
    const story = await newStory('Refused');
    const page = await openStory(await context.newPage(), story.slug);
    await page.route('**/api/push/subscriptions', (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many requests, slow down.' } }),
      }),
    );
    await toggle(page, 'Alerts for this story').click();
    await eventually(
      async () => (await statusLine(page).textContent()) === 'Too many requests, slow down.',
      'the error',
    );
    expect(await toggle(page, 'Alerts for this story').getAttribute('aria-pressed')).toBe('false');
  });

  it('the worker re-subscribes with the same topics when the browser replaces the subscription', async () => {
    const story = await newStory('Rotation');
    const before = push.newSubscriber('before');
    const after = push.newSubscriber('after');
    const context = await readerWithPush(before);
    const page = await openStory(await context.newPage(), story.slug);
    await toggle(page, 'Alerts for this story').click();
    await toggle(page, 'Alerts for this story', true).waitFor();
    const [oldId] = await members(`story:${story.id}`);

    const sw = context.serviceWorkers().find((w) => w.url() === `${origin}/sw.js`)!;
    await sw.evaluate(async (replacement) => {
      const scope = self as unknown as ServiceWorkerGlobalScope;
      const event = new ExtendableEvent('pushsubscriptionchange');
      const work: Promise<unknown>[] = [];
      Object.defineProperties(event, {
        waitUntil: { value: (promise: Promise<unknown>) => work.push(promise) },
        oldSubscription: { value: null },
        newSubscription: { value: { endpoint: replacement.endpoint, toJSON: () => replacement } },
      });
      scope.dispatchEvent(event);
      await Promise.all(work);
    }, after.subscription);

    const [newId] = await members(`story:${story.id}`);
    expect(newId).toBeDefined();
    expect(newId).not.toBe(oldId);
    expect(await stack.redis.hget(keys().push.subscription(newId!), 'endpoint')).toBe(after.endpoint);
    expect(await stack.redis.exists(keys().push.subscription(oldId!))).toBe(0);
    expect(await readSharedState(page, '/__stoppress/subscription')).toMatchObject({
      endpoint: after.endpoint,
      topics: [`story:${story.id}`],
    });
  });
});

describe('when alerts cannot be turned on', () => {
  it('says how to unblock notifications when permission is denied', async () => {
    const context = await newContext();
    await context.addInitScript(() => {
      Notification.requestPermission = async () => 'denied';
    });
    const page = await openStory(await context.newPage(), (await newStory('Denied')).slug);
    expect(await statusLine(page).textContent()).toBe('');
    await toggle(page, 'Alerts for this story').click();
    await eventually(async () => (await statusLine(page).textContent())?.includes('blocked'), 'the blocked message');
    expect(await statusLine(page).textContent()).toContain(
      'allow notifications for this site in your browser’s settings',
    );
    expect(await toggle(page, 'Alerts for this story').getAttribute('aria-pressed')).toBe('false');
  });

  it('says so, without buttons, in a browser without Web Push', async () => {
    const context = await newContext();
    await context.addInitScript(() => {
      delete (window as { PushManager?: unknown }).PushManager;
    });
    const page = await openStory(await context.newPage(), (await newStory('Unsupported')).slug);
    expect(await statusLine(page).textContent()).toContain('This browser can’t show news alerts');
    expect(await page.getByRole('button', { name: /Alerts for this story|Breaking news/ }).count()).toBe(0);
  });

  it('explains Add to Home Screen in Safari on iPhone, and offers the buttons in the home-screen app', async () => {
    const context = await newContext({
      userAgent: IPHONE_SAFARI,
      isMobile: true,
      hasTouch: true,
      viewport: { width: 390, height: 844 },
    });
    const page = await openStory(await context.newPage(), (await newStory('On the phone')).slug);
    const text = await statusLine(page).textContent();
    expect(text).toContain('tap Share, then “Add to Home Screen”');
    expect(text).toContain('open Stop Press from your home screen');
    expect(await page.getByRole('button', { name: /Alerts for this story|Breaking news/ }).count()).toBe(0);

    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'standalone', { get: () => true });
    });
    await page.reload();
    await toggle(page, 'Alerts for this story', false).waitFor();
  });

  it('the page links a web app manifest that can be installed to the home screen', async () => {
    const context = await newContext();
    const page = await openStory(await context.newPage(), (await newStory('Manifest')).slug);
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/manifest.webmanifest');
    const res = await fetch(`${origin}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    const manifest = JSON.parse(await res.text()) as {
      name?: string;
      display?: string;
      icons?: Array<{ src: string; sizes: string }>;
    };
    expect(manifest.name).toBeTruthy();
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons).toContainEqual(expect.objectContaining({ src: '/icon-192.png', sizes: '192x192' }));
    expect((await fetch(`${origin}/icon-192.png`)).status).toBe(200);
    expect((await fetch(`${origin}/sw.js`)).headers.get('service-worker-allowed')).toBe('/');
  });
});
