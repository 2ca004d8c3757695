import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, cachedBody } from '../../src/http/cache/cached-body.ts';

describe('acceptsGzip', () => {
  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['*', true],
    [undefined, false],
    ['', false],
    ['identity', false],
    ['br, deflate', false],
    ['gzip;q=0', false],
    ['gzip; q=0.000, br', false],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['br, *;q=0.5', true],
  ])('%s → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('cachedBody', () => {
  it('keeps the UTF-8 bytes and a gzip copy that inflates to them', () => {
    const text = `<p>Ünïcödé — ${'live update '.repeat(500)}</p>`;
    const body = cachedBody(text);
    expect(body.identity.toString('utf8')).toBe(text);
    expect(gunzipSync(body.gzip).equals(body.identity)).toBe(true);
    expect(body.gzip.length).toBeLessThan(body.identity.length / 10);
  });
});
