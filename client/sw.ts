/// <reference lib="webworker" />
/**
 * The service worker, served at /sw.js with scope /. It turns push messages into notifications
 * (one per story, never the same update twice), takes a click to the update on the story page,
 * and re-subscribes when the browser replaces a subscription.
 *
 * It imports nothing: Vite builds every entry together, and a module shared with the reader
 * bundle would become an `import` that a classic service worker cannot load.
 */
// Types only: the service worker bundle must import no code (see vite.config.ts).
import type { AlertPayload } from '../src/shared/alert-payload.ts';

declare const self: ServiceWorkerGlobalScope;

interface NotificationData {
  url: string;
  updateId?: string;
  storyId?: string;
}

/** Written by the page (client/push/worker-state.ts) each time it saves the reader's topics. */
interface SubscriptionState {
  endpoint: string;
  topics: string[];
  publicKey: string;
  apiUrl: string;
}

// TypeScript's DOM lib no longer lists these options, which Chromium still honours.
interface AlertNotificationOptions extends NotificationOptions {
  renotify?: boolean;
  timestamp?: number;
}

interface SubscriptionChangeEvent extends ExtendableEvent {
  readonly oldSubscription: PushSubscription | null;
  readonly newSubscription: PushSubscription | null;
}

// The same names are in client/push/worker-state.ts; they are how the page and worker share state.
const STATE_CACHE = 'stoppress-push-v1';
const SUBSCRIPTION_KEY = '/__stoppress/subscription';
const SEEN_KEY = '/__stoppress/seen-alerts';
/** Enough to outlast any push service's redelivery window, small enough to rewrite each time. */
const SEEN_LIMIT = 200;
const ICON = '/icon-192.png';
const GENERIC_TAG = 'stoppress-generic';

self.addEventListener('install', (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener('activate', (event) => {
  // Pages opened before the first install become controlled, so a click can navigate them.
  event.waitUntil(self.clients.claim());
});

self.addEventListener('push', (event) => {
  const data = event.data;
  event.waitUntil(inOrder(() => showAlert(readAlert(data))));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openUpdate(clickTarget(event.notification.data)));
});

self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(resubscribe(event as SubscriptionChangeEvent).catch(() => undefined));
});

// Two deliveries of one message can arrive back to back; checking and recording "seen" one push
// at a time keeps the second from slipping between the first's read and write.
let alertQueue: Promise<unknown> = Promise.resolve();
function inOrder(task: () => Promise<void>): Promise<void> {
  const run = alertQueue.then(task).catch(() => undefined);
  alertQueue = run;
  return run;
}

function readAlert(data: PushMessageData | null): AlertPayload | null {
  try {
    const value: unknown = data?.json();
    return isAlertPayload(value) ? value : null;
  } catch {
    return null;
  }
}

function isAlertPayload(value: unknown): value is AlertPayload {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  return ['title', 'body', 'url', 'storyId', 'updateId', 'tag'].every((name) => typeof fields[name] === 'string');
}

async function showAlert(alert: AlertPayload | null): Promise<void> {
  // Chromium shows its own "updated in the background" notice for a push that shows nothing, so
  // a message we cannot read still gets a plain notification.
  if (!alert) return showGeneric();
  const id = `${alert.storyId}/${alert.updateId}`;
  if (await alreadyShown(id)) return;
  const options: AlertNotificationOptions = {
    body: alert.body,
    icon: alert.icon ?? ICON,
    badge: ICON,
    tag: alert.tag,
    renotify: alert.breaking,
    timestamp: Date.now(),
    data: { url: alert.url, updateId: alert.updateId, storyId: alert.storyId } satisfies NotificationData,
  };
  await self.registration.showNotification(alert.title, options);
  await markShown(id);
}

function showGeneric(): Promise<void> {
  const data: NotificationData = { url: self.registration.scope };
  return self.registration.showNotification('Stop Press', {
    body: 'There is news on a story you follow.',
    icon: ICON,
    badge: ICON,
    tag: GENERIC_TAG,
    data,
  });
}

async function readState<T>(key: string): Promise<T | null> {
  try {
    const response = await (await caches.open(STATE_CACHE)).match(key);
    return response ? ((await response.json()) as T) : null;
  } catch {
    return null;
  }
}

async function writeState(key: string, value: unknown): Promise<void> {
  const cache = await caches.open(STATE_CACHE);
  await cache.put(key, new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } }));
}

async function alreadyShown(id: string): Promise<boolean> {
  return (await readState<string[]>(SEEN_KEY))?.includes(id) ?? false;
}

async function markShown(id: string): Promise<void> {
  const seen = (await readState<string[]>(SEEN_KEY)) ?? [];
  // A failed write only costs the dedupe for this one alert, not the alert.
  await writeState(SEEN_KEY, [...seen, id].slice(-SEEN_LIMIT)).catch(() => undefined);
}

function clickTarget(data: unknown): string {
  const url = (data as Partial<NotificationData> | null)?.url;
  return typeof url === 'string' ? new URL(url, self.registration.scope).href : self.registration.scope;
}

/** The same page whatever the anchor or query (an "older updates" page is still the story). */
function samePage(a: string, b: string): boolean {
  const left = new URL(a);
  const right = new URL(b);
  return left.origin === right.origin && left.pathname === right.pathname;
}

async function openUpdate(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.filter((client) => samePage(client.url, url));
  const tab = open.find((client) => client.focused) ?? open[0];
  if (tab) return showUpdateIn(tab, url);
  await self.clients.openWindow(url);
}

async function showUpdateIn(tab: WindowClient, url: string): Promise<void> {
  // Focus first: the browser allows it only while the click is fresh.
  await tab.focus().catch(() => undefined);
  try {
    await tab.navigate(url);
  } catch {
    // navigate() needs a tab this worker controls; the reader page moves to the anchor itself.
    tab.postMessage({ type: 'stoppress:show-update', url });
  }
}

async function resubscribe(event: SubscriptionChangeEvent): Promise<void> {
  const state = await readState<SubscriptionState>(SUBSCRIPTION_KEY);
  if (!state || state.topics.length === 0) return;
  const subscription =
    event.newSubscription ??
    (await self.registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: event.oldSubscription?.options.applicationServerKey ?? base64UrlToBytes(state.publicKey),
    }));
  const saved = await fetch(`${state.apiUrl}/api/push/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subscription: subscription.toJSON(), topics: state.topics }),
  });
  if (!saved.ok) return;
  await writeState(SUBSCRIPTION_KEY, { ...state, endpoint: subscription.endpoint } satisfies SubscriptionState);
  if (state.endpoint !== subscription.endpoint) await forgetEndpoint(state.apiUrl, state.endpoint);
}

async function forgetEndpoint(apiUrl: string, endpoint: string): Promise<void> {
  await fetch(`${apiUrl}/api/push/subscriptions`, {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ endpoint }),
  });
}

function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

export {};
