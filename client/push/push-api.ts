/** The Stop Press push endpoints, as the reader page uses them. */

/** A failure to show the reader as is: the API's own message, or a plain one when it had none. */
export class PushApiError extends Error {}

export interface PushApi {
  publicKey(): Promise<string>;
  saveTopics(subscription: PushSubscriptionJSON, topics: readonly string[]): Promise<void>;
  forget(endpoint: string): Promise<void>;
}

const UNREACHABLE = 'Could not reach the news server. Check your connection and try again.';

export function createPushApi(apiBase: string): PushApi {
  let publicKey: Promise<string> | undefined;
  const send = (method: string, path: string, body?: unknown) => call(`${apiBase}/api/push${path}`, method, body);
  return {
    publicKey() {
      publicKey ??= send('GET', '/public-key')
        .then((response) => response.json() as Promise<{ publicKey: string }>)
        .then((b) => b.publicKey);
      publicKey.catch(() => {
        publicKey = undefined;
      }); // a failed fetch is retried on the next click
      return publicKey;
    },
    async saveTopics(subscription, topics) {
      await send('POST', '/subscriptions', { subscription, topics });
    },
    async forget(endpoint) {
      await send('DELETE', '/subscriptions', { endpoint });
    },
  };
}

async function call(url: string, method: string, body: unknown): Promise<Response> {
  let response: Response;
  try {
    const headers: HeadersInit = body === undefined ? {} : { 'content-type': 'application/json' };
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new PushApiError(UNREACHABLE);
  }
  if (!response.ok) throw new PushApiError(await errorMessage(response));
  return response;
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not the API's JSON error shape
  }
  return `The news server could not save your alerts (HTTP ${response.status}). Try again later.`;
}
