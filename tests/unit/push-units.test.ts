import { describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { alertPayload, encodeAlert, MAX_PAYLOAD_BYTES, shortenAlert } from '../../src/push/alert-payload.ts';
import { isPublicAddress } from '../../src/push/endpoint-guard.ts';
import { parseRetryAfter } from '../../src/push/push-sender.ts';
import { VapidAuthCache } from '../../src/push/vapid-auth-cache.ts';
import { retryDelayMs } from '../../workers/push-batch.worker.ts';

describe('retryDelayMs', () => {
  it('backs off exponentially with jitter between half and the full step', () => {
    expect(retryDelayMs(1, 1000, undefined, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, undefined, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, undefined, () => 0)).toBe(2000);
    expect(retryDelayMs(3, 1000, undefined, () => 1)).toBe(4000);
  });

  it('never retries sooner than Retry-After, and caps the wait', () => {
    expect(retryDelayMs(1, 1000, 30_000, () => 1)).toBe(30_000);
    expect(retryDelayMs(30, 1000, undefined, () => 1)).toBe(15 * 60_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(10_000 + 5_000).toUTCString(), 10_000)).toBe(5_000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('alert payload', () => {
  const input = {
    story: { id: 's1', slug: 'big-story', title: 'Big story' },
    update: { id: 'u1', title: null, html: `<p>${'Ünïcödé 🎉 text & more '.repeat(400)}</p>` },
    publicUrl: 'https://news.example/',
    breaking: false,
  };

  it('stays within 3 KB however long the update is', () => {
    const json = encodeAlert(alertPayload(input, 100_000));
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const payload = JSON.parse(json);
    expect(payload.url).toBe('https://news.example/stories/big-story#update-u1');
    expect(payload.body).toMatch(/^Ünïcödé 🎉 text & more/);
    expect(payload.body.endsWith('…')).toBe(true);
  });

  it('has a shorter form without the icon for a 413', () => {
    const short = JSON.parse(shortenAlert(encodeAlert(alertPayload(input))));
    expect([...short.body].length).toBeLessThanOrEqual(120);
    expect(short.icon).toBeUndefined();
    expect(short.tag).toBe('story-s1');
  });
});

describe('VapidAuthCache', () => {
  it('signs once per origin and renews shortly before expiry', () => {
    let now = 1_700_000_000_000;
    const keys = { ...webpush.generateVAPIDKeys(), subject: 'mailto:test@example.com' };
    const cache = new VapidAuthCache(keys, () => now);
    const first = cache.authorizationFor('https://push.example');
    expect(cache.authorizationFor('https://push.example')).toBe(first);
    expect(cache.authorizationFor('https://other.example')).not.toBe(first);
    now += 10 * 3600 * 1000;
    expect(cache.authorizationFor('https://push.example')).toBe(first);
    now += 2 * 3600 * 1000;
    expect(cache.authorizationFor('https://push.example')).not.toBe(first);
  });
});

describe('isPublicAddress', () => {
  it.each([
    ['8.8.8.8', true],
    ['2606:4700::1', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.31.0.1', false],
    ['192.168.0.1', false],
    ['169.254.169.254', false],
    ['::1', false],
    ['fd00:ec2::254', false],
    ['fe80::1', false],
    ['::ffff:10.0.0.1', false],
    ['0.0.0.0', false],
    ['100.64.0.1', false],
    ['224.0.0.1', false],
    ['not-an-ip', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
