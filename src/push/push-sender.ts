/**
 * Sends one encrypted push message (RFC 8291 aes128gcm, via web-push's encrypt, on the encrypt
 * pool's threads when there is one) with a cached VAPID header, over keep-alive connections, with
 * a global concurrency bound and a bound per push-service origin, so one slow service cannot take
 * all the slots. Classifies the answer into what the batch worker should do next.
 */
import { lookup as dnsLookup } from 'node:dns';
import pLimit, { type LimitFunction } from 'p-limit';
import { Agent } from 'undici';
import webpush from 'web-push';
import { EncryptThreadLost, type EncryptPool } from './encrypt-pool.ts';
import { publicOnlyLookup } from './endpoint-guard.ts';
import { postPush } from './push-request.ts';
import type { VapidAuthCache } from './vapid-auth-cache.ts';

export interface PushTarget {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushHeaders {
  ttl: number;
  urgency: 'very-low' | 'low' | 'normal' | 'high';
  topic?: string;
}

export type PushOutcome =
  | { kind: 'skipped'; status: 0 }
  | { kind: 'sent'; status: number }
  | { kind: 'gone'; status: number }
  | { kind: 'too-large'; status: number }
  | { kind: 'retry'; status: number; retryAfterMs: number | undefined; reason: string }
  | { kind: 'failed'; status: number; reason: string };

export interface PushSenderOptions {
  vapid: VapidAuthCache;
  concurrency: number;
  perOriginConcurrency: number;
  timeoutMs: number;
  /** Origins exempt from the public-address check (tests, private push services). */
  allowlist: readonly string[];
  /** Where payloads are encrypted; without one, on this thread. Closed with the sender. */
  encryptPool?: EncryptPool | undefined;
}

/** What happens around the request, inside the message's concurrency slot. */
export interface SendSteps {
  /** Runs right before the request; false skips the message. */
  claim?: () => Promise<boolean>;
  /** A shorter payload, tried once when the push service answers 413. */
  shorten?: (payload: string) => string;
  /** Records the final outcome before the slot is given back (not called for 'skipped'). */
  settle?: (outcome: PushOutcome) => Promise<void>;
}

/** Retry-After is seconds or an HTTP date (RFC 9110). */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function classify(status: number, retryAfter: string | string[] | undefined): PushOutcome {
  if (status === 201 || status === 202 || status === 200) return { kind: 'sent', status };
  if (status === 404 || status === 410) return { kind: 'gone', status };
  if (status === 413) return { kind: 'too-large', status };
  if (status === 429 || status >= 500)
    return { kind: 'retry', status, retryAfterMs: parseRetryAfter(retryAfter), reason: `HTTP ${status}` };
  return { kind: 'failed', status, reason: `HTTP ${status}` };
}

export class PushSender {
  private readonly agent: Agent;
  private readonly global: LimitFunction;
  private readonly perOrigin = new Map<string, LimitFunction>();
  private readonly allowlistedHosts: Set<string>;

  constructor(private readonly options: PushSenderOptions) {
    this.global = pLimit(options.concurrency);
    this.allowlistedHosts = new Set(options.allowlist.map((origin) => new URL(origin).hostname));
    const lookup = (hostname: string, opts: object, callback: Parameters<typeof publicOnlyLookup>[2]): void => {
      if (this.allowlistedHosts.has(hostname)) dnsLookup(hostname, opts, callback as never);
      else publicOnlyLookup(hostname, opts, callback);
    };
    this.agent = new Agent({
      connections: options.perOriginConcurrency,
      keepAliveTimeout: 30_000,
      connect: { lookup: lookup as never, timeout: options.timeoutMs },
    });
  }

  /**
   * The claim runs once a slot is free, right before the request, and the settle before the slot
   * is freed: a message is claimed only when it is about to go out, and a crash can leave
   * unrecorded at most the messages holding a slot.
   */
  send(target: PushTarget, payload: string, headers: PushHeaders, steps: SendSteps = {}): Promise<PushOutcome> {
    const url = new URL(target.endpoint);
    let limit = this.perOrigin.get(url.origin);
    if (!limit) this.perOrigin.set(url.origin, (limit = pLimit(this.options.perOriginConcurrency)));
    // The origin's slot first, then a global one: waiting for a slow origin holds no global slot.
    return limit(() =>
      this.global(async () => {
        // On the pool, encrypting while the claim is on its way hides one of the two waits; a
        // refused claim (a batch retried after a crash) only wastes that encryption.
        const early = this.options.encryptPool ? this.encrypt(target, payload) : undefined;
        early?.catch(() => undefined); // awaited below unless the claim is refused or fails
        if (steps.claim && !(await steps.claim())) return { kind: 'skipped', status: 0 };
        let outcome = await this.post(url, early ?? this.encrypt(target, payload), headers);
        if (outcome.kind === 'too-large' && steps.shorten) {
          outcome = await this.post(url, this.encrypt(target, steps.shorten(payload)), headers);
        }
        await steps.settle?.(outcome);
        return outcome;
      }),
    );
  }

  private async post(url: URL, encrypted: Promise<Buffer>, headers: PushHeaders): Promise<PushOutcome> {
    let body: Buffer;
    try {
      body = await encrypted;
    } catch (error) {
      // Its thread died with it; nothing was sent, so it can go out on a retry.
      if (error instanceof EncryptThreadLost)
        return { kind: 'retry', status: 0, retryAfterMs: undefined, reason: error.message };
      throw error;
    }
    try {
      const answer = await postPush(
        this.agent,
        url,
        {
          authorization: this.options.vapid.authorizationFor(url.origin),
          'content-encoding': 'aes128gcm',
          'content-type': 'application/octet-stream',
          ttl: String(headers.ttl),
          urgency: headers.urgency,
          ...(headers.topic && { topic: headers.topic }),
        },
        body,
        this.options.timeoutMs,
      );
      return classify(answer.statusCode, answer.retryAfter);
    } catch (error) {
      // Timeouts, resets and refused connections are worth another try later.
      return {
        kind: 'retry',
        status: 0,
        retryAfterMs: undefined,
        reason: error instanceof Error ? error.message : String(error),
      };
    }
  }

  private encrypt(target: PushTarget, payload: string): Promise<Buffer> {
    const { p256dh, auth } = target.keys;
    const pool = this.options.encryptPool;
    if (pool) return pool.encrypt(p256dh, auth, payload);
    return new Promise((resolve) => resolve(webpush.encrypt(p256dh, auth, payload, 'aes128gcm').cipherText));
  }

  async close(): Promise<void> {
    await this.agent.close();
    await this.options.encryptPool?.close();
  }
}
