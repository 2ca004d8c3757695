import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { allowFramingAnywhere, securityHeaders } from '../../src/http/plugins/security-headers.ts';

const LEGACY = ['x-xss-protection', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-dns-prefetch-control', 'origin-agent-cluster', 'x-frame-options'];
const DOCUMENT_ONLY = ['content-security-policy', 'cross-origin-opener-policy', 'referrer-policy'];

async function appWith(https: boolean) {
  const app = Fastify();
  await app.register(securityHeaders, { https });
  app.get('/page', async (_request, reply) => reply.type('text/html; charset=utf-8').send('<p>page</p>'));
  app.get('/icon', async (_request, reply) => reply.type('image/svg+xml').send('<svg/>'));
  app.get('/json', async () => ({ ok: true }));
  app.get('/embed', async (_request, reply) => {
    allowFramingAnywhere(reply);
    return reply.type('text/html; charset=utf-8').send('<p>embed</p>');
  });
  app.get('/own-csp', async (_request, reply) => reply.header('content-security-policy', "default-src 'none'").type('text/html').send('own'));
  return app;
}

describe('security headers', () => {
  it('every response: nosniff and a cross-origin CORP; HSTS only behind https; none of the legacy headers', async () => {
    const plain = await appWith(false);
    const secure = await appWith(true);
    for (const url of ['/page', '/json']) {
      const response = await plain.inject(url);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(response.headers['cross-origin-embedder-policy']).toBeUndefined();
      expect(response.headers['strict-transport-security']).toBeUndefined();
      for (const name of LEGACY) expect(response.headers[name], name).toBeUndefined();
    }
    expect((await secure.inject('/json')).headers['strict-transport-security']).toBe('max-age=15552000; includeSubDomains');
  });

  it('documents get the strict CSP, COOP and Referrer-Policy; JSON answers do not', async () => {
    const app = await appWith(false);
    const [a, b, svg, json] = [await app.inject('/page'), await app.inject('/page'), await app.inject('/icon'), await app.inject('/json')];
    expect(a.headers['content-security-policy']).toBe(b.headers['content-security-policy']);
    expect(a.headers['content-security-policy']).toContain("script-src 'self'");
    expect(a.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(a.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(a.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(a.headers['referrer-policy']).toBe('no-referrer');
    expect(svg.headers['content-security-policy']).toBe(a.headers['content-security-policy']);
    for (const name of DOCUMENT_ONLY) expect(json.headers[name], name).toBeUndefined();
  });

  it('a route that sets its own CSP keeps it; the embed may be framed anywhere, the other pages not', async () => {
    const app = await appWith(false);
    const own = await app.inject('/own-csp');
    expect(own.headers['content-security-policy']).toBe("default-src 'none'");
    expect(own.headers['referrer-policy']).toBe('no-referrer');
    const embed = await app.inject('/embed');
    const page = await app.inject('/page');
    expect(embed.headers['content-security-policy']).toBe(String(page.headers['content-security-policy']).replace("frame-ancestors 'self'", 'frame-ancestors *'));
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'self'");
  });
});
