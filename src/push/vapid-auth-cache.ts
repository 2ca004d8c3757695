/**
 * VAPID Authorization headers, signed once per push-service origin and reused until shortly
 * before they expire. Signing (ECDSA P-256) per message would cost more than the encryption.
 */
import webpush from 'web-push';
import type { VapidKeys } from './vapid-keys.ts';

const LIFETIME_S = 12 * 3600;
const RENEW_BEFORE_S = 3600;

export class VapidAuthCache {
  private readonly cache = new Map<string, { header: string; expiresAt: number }>();

  constructor(
    private readonly keys: VapidKeys,
    private readonly now: () => number = Date.now,
  ) {}

  /** The `Authorization: vapid t=…, k=…` value for an endpoint's origin. */
  authorizationFor(endpointOrigin: string): string {
    const nowS = Math.floor(this.now() / 1000);
    const cached = this.cache.get(endpointOrigin);
    if (cached && cached.expiresAt - RENEW_BEFORE_S > nowS) return cached.header;
    const expiresAt = nowS + LIFETIME_S;
    const headers = webpush.getVapidHeaders(
      endpointOrigin,
      this.keys.subject,
      this.keys.publicKey,
      this.keys.privateKey,
      'aes128gcm',
      expiresAt,
    );
    const header = headers.Authorization;
    this.cache.set(endpointOrigin, { header, expiresAt });
    return header;
  }
}
