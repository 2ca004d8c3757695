/**
 * One push request through undici's dispatcher API: a push service's answer is a status and
 * at most a Retry-After header, so its body is dropped as it arrives instead of going through
 * the Readable stream that `request()` builds for every response (a third of the client's CPU
 * per request at thousands of alerts a second).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

export interface PushAnswer {
  statusCode: number;
  retryAfter: string | string[] | undefined;
}

export function postPush(
  dispatcher: Dispatcher,
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  timeoutMs: number,
): Promise<PushAnswer> {
  return new Promise((resolve, reject) => {
    let answer: PushAnswer = { statusCode: 0, retryAfter: undefined };
    dispatcher.dispatch(
      {
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'POST',
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      },
      {
        // Its presence is what tells undici this handler uses the current (controller) interface.
        onRequestStart() {},
        onResponseStart(_controller, statusCode: number, responseHeaders: IncomingHttpHeaders) {
          answer = { statusCode, retryAfter: responseHeaders['retry-after'] };
        },
        onResponseEnd: () => resolve(answer),
        onResponseError: (_controller, error: Error) => reject(error),
      },
    );
  });
}
