import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { allowFramingAnywhere, securityHeaders } from '../../src/http/plugins/security-headers.ts';

async function appWith(https: boolean) {
  const app = Fastify();
  await app.register(securityHeaders, { corsOrigins: [], https });
  app.get('/page', async () => 'page');
  app.get('/embed', async (_request, reply) => {
    allowFramingAnywhere(reply);
    return 'embed';
  });
  return app;
}

describe('security headers', () => {
  it('are the same finished set on every response, HSTS only behind https', async () => {
    const plain = await appWith(false);
    const secure = await appWith(true);
    const [a, b] = [await plain.inject('/page'), await plain.inject('/page')];
    expect(a.headers['content-security-policy']).toBe(b.headers['content-security-policy']);
    expect(a.headers['content-security-policy']).toContain("script-src 'self'");
    expect(a.headers['x-content-type-options']).toBe('nosniff');
    expect(a.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(a.headers['cross-origin-embedder-policy']).toBeUndefined();
    expect(a.headers['strict-transport-security']).toBeUndefined();
    expect((await secure.inject('/page')).headers['strict-transport-security']).toBe('max-age=15552000; includeSubDomains');
  });

  it('let the embed be framed anywhere without loosening the other pages', async () => {
    const app = await appWith(false);
    const embed = await app.inject('/embed');
    expect(embed.headers['x-frame-options']).toBeUndefined();
    expect(embed.headers['content-security-policy']).toContain('frame-ancestors *');
    const page = await app.inject('/page');
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'self'");
  });
});
