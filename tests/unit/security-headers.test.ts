import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_HEADERS, EMBED_DOCUMENT_HEADERS, securityHeaders } from '../../src/http/plugins/security-headers.ts';
import { EMBED_FRAME_ORIGINS } from '../../src/shared/embeds.ts';

const LEGACY = [
  'x-xss-protection',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-dns-prefetch-control',
  'origin-agent-cluster',
  'x-frame-options',
];
const DOCUMENT_ONLY = ['content-security-policy', 'cross-origin-opener-policy', 'referrer-policy'];

async function appWith(https: boolean) {
  const app = Fastify();
  await app.register(securityHeaders, { https });
  app.get('/page', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').headers(DOCUMENT_HEADERS).send('<p>page</p>'),
  );
  app.get('/json', async () => ({ ok: true }));
  return app;
}

describe('security headers', () => {
  it('every response: nosniff and a cross-origin CORP; HSTS only behind https; none of the legacy headers', async () => {
    const plain = await appWith(false);
    const secure = await appWith(true);
    for (const url of ['/page', '/json', '/missing']) {
      const response = await plain.inject(url);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(response.headers['cross-origin-embedder-policy']).toBeUndefined();
      expect(response.headers['strict-transport-security']).toBeUndefined();
      for (const name of LEGACY) expect(response.headers[name], name).toBeUndefined();
    }
    expect((await secure.inject('/json')).headers['strict-transport-security']).toBe(
      'max-age=15552000; includeSubDomains',
    );
  });

  it('the document set: a strict CSP, COOP and Referrer-Policy, which JSON answers do not carry', async () => {
    const app = await appWith(false);
    const [page, json] = [await app.inject('/page'), await app.inject('/json')];
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    for (const name of DOCUMENT_ONLY) expect(json.headers[name], name).toBeUndefined();
  });

  it('the embed set differs only in who may frame the page', () => {
    expect(EMBED_DOCUMENT_HEADERS['content-security-policy']).toBe(
      DOCUMENT_HEADERS['content-security-policy']!.replace("frame-ancestors 'self'", 'frame-ancestors *'),
    );
    expect({ ...EMBED_DOCUMENT_HEADERS, 'content-security-policy': '' }).toEqual({
      ...DOCUMENT_HEADERS,
      'content-security-policy': '',
    });
  });

  it("frames only from the embed providers' fixed https hosts; images and scripts as before", () => {
    const directives = DOCUMENT_HEADERS['content-security-policy']!.split(';');
    expect(directives.filter((d) => d.startsWith('frame-src '))).toEqual([
      `frame-src ${EMBED_FRAME_ORIGINS.join(' ')}`,
    ]);
    for (const origin of EMBED_FRAME_ORIGINS) expect(origin).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+$/);
    expect(directives).toContain("script-src 'self'");
    expect(directives).toContain("img-src 'self' https: data:");
  });
});
