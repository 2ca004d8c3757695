/**
 * What the service worker needs to re-subscribe on its own when the browser replaces a push
 * subscription (`pushsubscriptionchange` can fire with no page open): the topics, the VAPID key
 * and where the API is. Kept in the Cache API, which both the page and the worker can read.
 */
// The same names are in client/sw.ts.
const STATE_CACHE = 'stoppress-push-v1';
const SUBSCRIPTION_KEY = '/__stoppress/subscription';

export interface WorkerSubscriptionState {
  endpoint: string;
  topics: string[];
  publicKey: string;
  apiUrl: string;
}

export async function shareWithWorker(state: WorkerSubscriptionState | null): Promise<void> {
  try {
    const cache = await caches.open(STATE_CACHE);
    if (!state) await cache.delete(SUBSCRIPTION_KEY);
    else
      await cache.put(
        SUBSCRIPTION_KEY,
        new Response(JSON.stringify(state), { headers: { 'content-type': 'application/json' } }),
      );
  } catch {
    // Best effort: without it only a browser-initiated key rotation goes unnoticed.
  }
}

export async function sharedWithWorker(): Promise<WorkerSubscriptionState | null> {
  try {
    const response = await (await caches.open(STATE_CACHE)).match(SUBSCRIPTION_KEY);
    return response ? ((await response.json()) as WorkerSubscriptionState) : null;
  } catch {
    return null;
  }
}
