/**
 * This browser's one push subscription and the topics it has on the server. Every story page
 * shares it, so a change here always sends the whole set of topics; with none left, the
 * subscription is deleted on the server and in the browser.
 */
import { createPushApi } from './push-api.ts';
import { rememberedTopics, rememberTopics } from './topic-memory.ts';
import { sharedWithWorker, shareWithWorker } from './worker-state.ts';

export interface ReaderSubscription {
  /** The topics on now ([] when not subscribed). */
  topics(): Promise<string[]>;
  add(topic: string): Promise<string[]>;
  remove(topic: string): Promise<string[]>;
}

export function createReaderSubscription(apiBase: string): ReaderSubscription {
  const api = createPushApi(apiBase);
  const registration = navigator.serviceWorker
    .register('/sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready);
  const current = async () => (await registration).pushManager.getSubscription();

  async function subscribed(): Promise<PushSubscription> {
    const existing = await current();
    if (existing) return existing;
    const applicationServerKey = base64UrlToBytes(await api.publicKey());
    return (await registration).pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
  }

  async function save(subscription: PushSubscription, topics: string[]): Promise<string[]> {
    if (topics.length === 0) {
      await api.forget(subscription.endpoint);
      await subscription.unsubscribe();
      rememberTopics(subscription.endpoint, []);
      await shareWithWorker(null);
      return [];
    }
    await api.saveTopics(subscription.toJSON(), topics);
    rememberTopics(subscription.endpoint, topics);
    const apiUrl = new URL(apiBase || '/', location.href).href.replace(/\/$/, '');
    await shareWithWorker({ endpoint: subscription.endpoint, topics, publicKey: await api.publicKey(), apiUrl });
    return topics;
  }

  return {
    async topics() {
      const subscription = await current();
      return subscription ? topicsOf(subscription.endpoint) : [];
    },
    async add(topic) {
      const subscription = await subscribed();
      const topics = await topicsOf(subscription.endpoint);
      return save(subscription, [...new Set([...topics, topic])]);
    },
    async remove(topic) {
      const subscription = await current();
      if (!subscription) return [];
      return save(
        subscription,
        (await topicsOf(subscription.endpoint)).filter((t) => t !== topic),
      );
    },
  };
}

/** After the worker re-subscribed on its own, only its copy knows the new endpoint's topics. */
async function topicsOf(endpoint: string): Promise<string[]> {
  const remembered = rememberedTopics(endpoint);
  if (remembered) return remembered;
  const shared = await sharedWithWorker();
  return shared?.endpoint === endpoint ? shared.topics : [];
}

export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}
