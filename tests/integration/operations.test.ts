import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEditorStore } from '../../src/store/editor-store.ts';
import { createKeys } from '../../src/store/keys.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
let editorToken: string;
beforeAll(async () => {
  stack = await startStack({ env: { WORKER_METRICS_PORT: '0' } });
  editorToken = (await createEditorStore(stack.redis, createKeys(stack.config.keyPrefix)).add('plain-editor', 'editor'))
    .token;
});
afterAll(async () => {
  await stack.close();
});

async function raw(path: string, init: RequestInit = {}) {
  const response = await fetch(`${stack.urls[0]}${path}`, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('Prometheus metrics', () => {
  it('the API reports readers, delivered events with their latency, and queue depths', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Metrics' } });
    const reader = stack.reader();
    await new Promise((resolve) => reader.emit('subscribe', { storyId: story.id }, resolve));
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { body: 'Counted' } });
    const metrics = await eventually(async () => {
      const text = (await raw('/metrics')).text;
      return /stoppress_events_delivered_total\{type="update.created"\} [1-9]/.test(text) ? text : null;
    }, 'the event to be counted');
    expect(metrics).toMatch(/stoppress_connected_readers [1-9]/);
    expect(metrics).toMatch(/stoppress_accept_to_delivery_seconds_count [1-9]/);
    expect(metrics).toMatch(/stoppress_queue_jobs\{queue="story-ops",state="completed"\} [1-9]/);
    expect(metrics).toContain('stoppress_api_process_resident_memory_bytes');
  });

  it('the worker serves its own metrics: events published and alerts', async () => {
    const port = stack.workers[0]!.metricsPort!;
    const text = await eventually(async () => {
      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return body.includes('stoppress_events_published_total{type="update.created"}') ? body : null;
    }, 'worker metrics');
    expect(text).toContain('# HELP stoppress_alerts_total');
    expect(text).toMatch(/stoppress_queue_jobs\{queue="push-batch"/);
  });
});

describe('the BullMQ dashboard at /admin/queues', () => {
  it('asks for credentials, refuses editors, and opens for an admin token (Basic or Bearer)', async () => {
    const anonymous = await raw('/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const editor = await raw('/admin/queues', { headers: { authorization: `Bearer ${editorToken}` } });
    expect(editor.status).toBe(403);
    const basic = `Basic ${Buffer.from(`admin:${stack.token}`).toString('base64')}`;
    const admin = await raw('/admin/queues', { headers: { authorization: basic } });
    expect(admin.status).toBe(200);
    expect(admin.headers.get('content-type')).toMatch(/text\/html/);
    const api = await raw('/admin/queues/api/queues', { headers: { authorization: `Bearer ${stack.token}` } });
    expect(api.status).toBe(200);
    expect(JSON.parse(api.text).queues.map((q: { name: string }) => q.name)).toEqual(
      expect.arrayContaining(['story-ops', 'push-fanout', 'push-batch']),
    );
  });
});

describe('security headers', () => {
  it('every page carries a strict CSP and the usual hardening headers; responses carry a request id', async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Headers' } });
    const page = await raw(`/stories/${story.slug}`);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-xss-protection')).toBeNull();
    expect(page.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // Pages are navigated to, not fetched cross-origin: no CORS headers. The API has them.
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
    const api = await raw(`/api/stories/${story.id}/updates`, { headers: { origin: 'https://newsroom.example' } });
    expect(api.headers.get('access-control-allow-origin')).toBe('*');
    expect(api.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect(api.headers.get('content-security-policy')).toBeNull();
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('cache-control')).toBe('no-store');
    const icon = await raw('/icon.svg');
    expect(icon.headers.get('content-security-policy')).toBe(csp);
    const feed = await raw(`/stories/${story.slug}/feed.xml`);
    expect(feed.headers.get('content-security-policy')).toBe(csp);
    // Pages with a CSP of their own still get the other document headers.
    const docs = await raw('/docs/');
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    expect(docs.headers.get('referrer-policy')).toBe('no-referrer');
    expect(docs.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    const basic = `Basic ${Buffer.from(`admin:${stack.token}`).toString('base64')}`;
    const queues = await raw('/admin/queues', { headers: { authorization: basic } });
    expect(queues.headers.get('content-security-policy')).toContain("'unsafe-inline'");
    expect(queues.headers.get('referrer-policy')).toBe('no-referrer');
    // An /api path with no route answers its 404 with CORS, like every other /api answer.
    const missing = await raw('/api/no-such-route', { headers: { origin: 'https://newsroom.example' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
    expect(JSON.parse(missing.text).error.code).toBe('NOT_FOUND');
    const admin = await raw('/admin');
    expect(admin.headers.get('content-security-policy')).toContain("script-src 'self'");
    const embed = await raw(`/stories/${story.slug}/embed`);
    expect(embed.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(embed.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers CORS preflights for API writes with the allowed headers', async () => {
    const preflight = await raw('/api/stories', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://newsroom.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});
