/** Embed cards through the real pipeline: posted Markdown, rendered by the worker, served in the story pages. */
import { parseDocument, DomUtils } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBED_FRAME_ORIGINS } from '../../src/shared/embeds.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

function frameSrc(csp: string | null): string[] {
  const directive = (csp ?? '').split(';').find((d) => d.trim().startsWith('frame-src ')) ?? '';
  return directive.trim().split(/\s+/).slice(1);
}

describe('embed cards on the story pages', () => {
  it("render as cards with no iframe; the pages frame only the providers' hosts", async () => {
    const { body: story } = await stack.request('POST', '/api/stories', { body: { title: 'Embeds', summary: 'x' } });
    const body = 'https://t.me/kyivindependent/12345\n> The channel says so.\n\nSee https://youtu.be/dQw4w9WgXcQ here.';
    expect((await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { id: 'e1', body } })).status).toBe(
      202,
    );
    await eventually(async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === 1, 'posted');

    const update = (await stack.request('GET', `/api/stories/${story.id}/updates`)).body.updates[0];
    expect(update.body).toBe(body);
    for (const path of ['', '/embed']) {
      const response = await fetch(`${stack.urls[0]}/stories/${story.slug}${path}`);
      const html = await response.text();
      const doc = parseDocument(html);
      const cards = DomUtils.findAll((el) => el.attribs.class === 'embed-card', doc.children);
      expect(cards.map((c) => c.attribs['data-embed-src'])).toEqual(['https://t.me/kyivindependent/12345?embed=1']);
      expect(DomUtils.textContent(cards[0]!)).toContain('The channel says so.');
      expect(html).not.toContain('<iframe');
      const csp = response.headers.get('content-security-policy');
      expect(frameSrc(csp)).toEqual([...EMBED_FRAME_ORIGINS]);
      expect(frameSrc(csp)).not.toContain('https:');
      expect(frameSrc(csp)).not.toContain('*');
    }
  });
});
