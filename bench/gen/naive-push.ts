/**
 * The naive baseline of our push sender, in its own process: for each subscriber, web-push's
 * generateRequestDetails (a fresh VAPID JWT signature and the aes128gcm encryption, per message)
 * then a POST over keep-alive connections, with the same concurrency as our sender has per push
 * service. (web-push's own sendNotification refuses http endpoints; the bench service is http.)
 */
import { Agent, request } from 'undici';
import webpush from 'web-push';
import { now } from '../lib/clock.ts';
import { endpointOf, loadPushKeys, type PushKey } from '../lib/push-keys.ts';
import { serve } from '../lib/rpc.ts';

export interface NaiveParams {
  origin: string;
  count: number;
  concurrency: number;
  payload: string;
  vapid: { subject: string; publicKey: string; privateKey: string };
  ttl: number;
  topic: string;
  /** Stop sending after this long; the rate is then taken over what was sent. */
  capMs: number;
}

export interface NaiveResult {
  sent: number;
  failed: number;
  endAt: number;
  capped: boolean;
}

let keys: PushKey[] = [];

async function run(params: NaiveParams): Promise<NaiveResult> {
  const agent = new Agent({ connections: params.concurrency, keepAliveTimeout: 30_000 });
  const stopAt = now() + params.capMs;
  let next = 0;
  let sent = 0;
  let failed = 0;
  const lane = async (): Promise<void> => {
    while (next < params.count && now() < stopAt) {
      const i = next++;
      const key = keys[i]!;
      const details = webpush.generateRequestDetails(
        { endpoint: endpointOf(params.origin, i), keys: { p256dh: key.p256dh, auth: key.auth } },
        params.payload,
        {
          vapidDetails: params.vapid,
          TTL: params.ttl,
          contentEncoding: 'aes128gcm',
          urgency: 'normal',
          topic: params.topic,
        },
      );
      const headers = Object.fromEntries(Object.entries(details.headers).map(([k, v]) => [k, String(v)]));
      try {
        const response = await request(details.endpoint, {
          method: 'POST',
          headers,
          body: details.body ?? undefined,
          dispatcher: agent,
        });
        await response.body.dump();
        if (response.statusCode === 201) sent++;
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: params.concurrency }, lane));
  const endAt = now();
  await agent.close();
  return { sent, failed, endAt, capped: sent + failed < params.count };
}

serve({
  prepare: ({ count }: { count: number }) => void (keys = loadPushKeys(count)),
  run,
});
