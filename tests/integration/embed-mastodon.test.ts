/**
 * Mastodon cards through the real pipeline with EMBED_MASTODON_HOSTS set: the worker renders "Load"
 * for a listed instance only, the story pages frame exactly the fixed providers and that instance,
 * and their bootstrap hands the reader script the same list. An API node started without the list
 * serves the same stored card with neither the frame-src nor the bootstrap entry.
 */
import { parseDocument, DomUtils } from 'htmlparser2';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiNode, type ApiNode } from '../../src/api-node.ts';
import { EMBED_FRAME_ORIGINS } from '../../src/shared/embeds.ts';
import type { StoryBootstrap } from '../../src/shared/story-bootstrap.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';
import { testConfig } from '../helpers/test-config.ts';

const HOST = 'social.newsroom-test.org';
const LISTED_POST = `https://${HOST}/@reporter/111111111111111111`;
const OTHER_POST = 'https://mastodon.social/@Gargron/222222222222222222';

let stack: Stack;
let story: { id: string; slug: string };
beforeAll(async () => {
  stack = await startStack({ env: { EMBED_MASTODON_HOSTS: HOST } });
  ({ body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Instances', summary: 'x' } }));
  const body = `${LISTED_POST}\n> On a listed instance.\n\n${OTHER_POST}\n> On another one.`;
  expect((await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'm1', body } })).status).toBe(
    202,
  );
  await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 1, 'posted');
});
afterAll(async () => {
  await stack.close();
});

function frameSrc(csp: string | null): string[] {
  const directive = (csp ?? '').split(';').find((d) => d.trim().startsWith('frame-src ')) ?? '';
  return directive.trim().split(/\s+/).slice(1);
}

interface ServedPage {
  csp: string | null;
  etag: string | null;
  bootstrap: StoryBootstrap;
  /** Each card's post URL, and whether it has a "Load" button. */
  cards: { post: string; src: string; load: boolean }[];
}

async function servedPage(base: string, path: string): Promise<ServedPage> {
  const response = await fetch(`${base}/stories/${story.slug}${path}`);
  expect(response.status).toBe(200);
  const doc = parseDocument(await response.text());
  const cards = DomUtils.findAll((el) => el.attribs.class === 'embed-card', doc.children).map((card) => ({
    post: card.attribs['data-embed-post']!,
    src: card.attribs['data-embed-src']!,
    load: DomUtils.findOne((el) => el.name === 'button', [card]) !== null,
  }));
  const script = DomUtils.findOne((el) => el.attribs.id === 'story-bootstrap', doc.children)!;
  return {
    csp: response.headers.get('content-security-policy'),
    etag: response.headers.get('etag'),
    bootstrap: JSON.parse(DomUtils.textContent(script)) as StoryBootstrap,
    cards,
  };
}

describe('Mastodon cards with EMBED_MASTODON_HOSTS', () => {
  it('a listed instance gets "Load"; the story pages frame it and nothing wider', async () => {
    for (const path of ['', '/embed']) {
      const page = await servedPage(stack.urls[0]!, path);
      expect(page.cards).toEqual([
        { post: LISTED_POST, src: `${LISTED_POST}/embed`, load: true },
        { post: OTHER_POST, src: `${OTHER_POST}/embed`, load: false },
      ]);
      expect(frameSrc(page.csp), path).toEqual([...EMBED_FRAME_ORIGINS, `https://${HOST}`]);
      expect(frameSrc(page.csp)).not.toContain('https:');
      expect(frameSrc(page.csp)).not.toContain('https://mastodon.social');
      expect(page.bootstrap.mastodonHosts).toEqual([HOST]);
    }
    // The editor's preview renders as the worker did.
    const preview = await stack.request('POST', '/api/preview', { body: { body: `${LISTED_POST}\n\n${OTHER_POST}` } });
    expect(preview.body.html.match(/<button[^>]*>Load the post from Mastodon<\/button>/g)).toHaveLength(1);
    // Pages that show no cards keep the fixed list.
    const admin = await fetch(`${stack.urls[0]}/admin`);
    expect(frameSrc(admin.headers.get('content-security-policy'))).toEqual([...EMBED_FRAME_ORIGINS]);
  });

  it('a node whose list no longer names the instance serves the stored card without framing it', async () => {
    const before = await servedPage(stack.urls[0]!, '');
    const config = testConfig({ KEY_PREFIX: stack.config.keyPrefix, QUEUE_PREFIX: stack.config.queuePrefix });
    const node: ApiNode = await createApiNode(config, pino({ level: 'silent' }));
    try {
      await node.app.listen({ port: 0, host: '127.0.0.1' });
      const address = node.app.server.address();
      if (!address || typeof address === 'string') throw new Error('no address');
      const after = await servedPage(`http://127.0.0.1:${address.port}`, '');
      // The HTML was rendered while the instance was listed; the page around it is today's.
      expect(after.cards[0]).toEqual({ post: LISTED_POST, src: `${LISTED_POST}/embed`, load: true });
      expect(frameSrc(after.csp)).toEqual([...EMBED_FRAME_ORIGINS]);
      expect(after.bootstrap.mastodonHosts).toEqual([]);
      // A browser holding the old page revalidates into the new one, not into a 304.
      expect(after.etag).not.toBe(before.etag);
    } finally {
      await node.close();
    }
  });
});
