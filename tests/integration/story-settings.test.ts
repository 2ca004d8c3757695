/**
 * Story settings: the "What we know" key points (patch → sanitized HTML in the story.updated
 * event, on the page, and live to Socket.IO and SSE readers), the limits on them, editors
 * changing a story, and `GET /api/me`.
 */
import { Parser } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryEvent } from '../../src/domain/events.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { feedReader } from '../helpers/readers.ts';
import { openSse } from '../helpers/sse-client.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

async function newStory(title: string): Promise<{ id: string; slug: string }> {
  return (await stack.request('POST', '/api/stories', { body: { title } })).body;
}

/** Every element and attribute name in some HTML, as a browser's parser would see them. */
function markupOf(html: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  const parser = new Parser({
    onopentag(name, attribs) {
      tags.add(name);
      for (const attribute of Object.keys(attribs)) attributes.add(attribute);
    },
  });
  parser.write(html);
  parser.end();
  return { tags, attributes };
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!);
}

async function storyWhen(id: string, check: (story: Record<string, unknown>) => boolean) {
  return eventually(async () => {
    const story = (await stack.request('GET', `/api/stories/${id}`)).body;
    return check(story) ? story : null;
  }, 'the story change');
}

describe('key points', () => {
  it('a patch publishes story.updated with the sanitized HTML, live over Socket.IO and SSE, and on the page', async () => {
    const story = await newStory('Quake');
    const socketReader = feedReader(stack.reader(), stack.urls[0]!, story.id);
    await eventually(() => socketReader.statuses.includes('live'), 'the socket reader');
    const sse = await openSse(`${stack.urls[0]}/api/stories/${story.id}/events`);
    const res = await stack.request('PATCH', `/api/stories/${story.id}`, {
      body: { keyPoints: '- A **6.1** quake hit at 04:10\n- No tsunami warning' },
    });
    expect(res.status).toBe(202);
    const html = '<ul>\n<li>A <strong>6.1</strong> quake hit at 04:10</li>\n<li>No tsunami warning</li>\n</ul>';
    const fromSocket = await eventually(
      () => socketReader.events.find((e) => e.type === 'story.updated'),
      'the socket event',
    );
    expect(fromSocket.story).toMatchObject({ keyPoints: '- A **6.1** quake hit at 04:10\n- No tsunami warning' });
    expect(fromSocket.story?.keyPointsHtml).toBe(html);
    const fromSse = await eventually(
      () => sse.frames.map((f) => JSON.parse(f.data) as StoryEvent).find((e) => e.type === 'story.updated'),
      'the SSE event',
    );
    expect(fromSse.story?.keyPointsHtml).toBe(html);
    sse.close();
    expect((await storyWhen(story.id, (s) => s.keyPointsHtml === html)).keyPoints).toContain('6.1');
    const page = await fetch(`${stack.urls[0]}/stories/${story.slug}`).then((r) => r.text());
    expect(page).toContain(`<section id="key-points" class="key-points" aria-labelledby="key-points-title">`);
    expect(page).toContain('<h2 id="key-points-title">What we know</h2>');
    expect(page).toContain(html);
  });

  it('sanitizes a hostile value: no markup, scripts, images or javascript: links survive', async () => {
    const story = await newStory('Hostile points');
    const hostile = [
      '- <script>alert(1)</script>',
      '- <img src=x onerror=alert(1)>',
      '- [click](javascript:alert(1))',
      '- ![pixel](https://tracker.example/p.png)',
      '- # not a heading',
      '- <a href="https://x.example" onclick="alert(1)">x</a>',
    ].join('\n');
    expect((await stack.request('PATCH', `/api/stories/${story.id}`, { body: { keyPoints: hostile } })).status).toBe(
      202,
    );
    const html = String((await storyWhen(story.id, (s) => s.keyPointsHtml !== '')).keyPointsHtml);
    const { tags, attributes } = markupOf(html);
    expect([...tags].sort()).toEqual(['a', 'li', 'ul']);
    expect([...attributes].sort()).toEqual(['href', 'rel', 'target']);
    expect(hrefs(html).every((href) => href.startsWith('https://'))).toBe(true);
    expect(html).toContain('&lt;script&gt;');
    expect(html.startsWith('<ul>')).toBe(true);
    const page = await fetch(`${stack.urls[0]}/stories/${story.slug}`).then((r) => r.text());
    expect(page).not.toContain('<script>alert(1)</script>');
  });

  it('refuses an over-long value with 413 and anything but a list with 400, changing nothing', async () => {
    const story = await newStory('Limits');
    await stack.request('PATCH', `/api/stories/${story.id}`, { body: { keyPoints: '- first' } });
    const before = await storyWhen(story.id, (s) => s.keyPoints === '- first');
    const tooManyBytes = `- ${'é'.repeat(LIMITS.keyPointsBytes / 2)}`;
    const tooManyChars = `- ${'x'.repeat(LIMITS.keyPointsBytes + 1)}`;
    for (const keyPoints of [tooManyBytes, tooManyChars]) {
      const res = await stack.request('PATCH', `/api/stories/${story.id}`, { body: { keyPoints } });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('KEY_POINTS_TOO_LARGE');
    }
    const notAList = await stack.request('PATCH', `/api/stories/${story.id}`, {
      body: { keyPoints: 'A paragraph\n\n- then a list' },
    });
    expect(notAList.status).toBe(400);
    expect(notAList.body.error.code).toBe('VALIDATION_FAILED');
    const after = (await stack.request('GET', `/api/stories/${story.id}`)).body;
    expect(after).toEqual(before);
    const events = (await stack.request('GET', `/api/stories/${story.id}/events`)).body.events;
    expect(events).toHaveLength(1);
  });

  it('a blank value clears the block, which stays in the page hidden', async () => {
    const story = await newStory('Clear me');
    await stack.request('PATCH', `/api/stories/${story.id}`, { body: { keyPoints: '- one' } });
    await storyWhen(story.id, (s) => s.keyPoints === '- one');
    await stack.request('PATCH', `/api/stories/${story.id}`, { body: { keyPoints: '  ' } });
    await storyWhen(story.id, (s) => s.keyPoints === '' && s.keyPointsHtml === '');
    const page = await fetch(`${stack.urls[0]}/stories/${story.slug}`).then((r) => r.text());
    expect(page).toContain('<section id="key-points" class="key-points" aria-labelledby="key-points-title" hidden>');
  });
});

describe('editors and story settings', () => {
  it('an editor changes title, summary and key points and ends the story; /api/me names the role', async () => {
    const added = await stack.request('POST', '/api/editors', { body: { name: 'desk', role: 'editor' } });
    const token = added.body.token as string;
    expect((await stack.request('GET', '/api/me', { token })).body).toMatchObject({ name: 'desk', role: 'editor' });
    expect((await stack.request('GET', '/api/me')).body).toMatchObject({ role: 'admin' });
    expect((await stack.request('GET', '/api/me', { token: null })).status).toBe(401);
    const story = await newStory('Desk story');
    const res = await stack.request('PATCH', `/api/stories/${story.id}`, {
      body: { title: 'Renamed', summary: 'Short', keyPoints: '- kp', status: 'ended' },
      token,
    });
    expect(res.status).toBe(202);
    const changed = await storyWhen(story.id, (s) => s.status === 'ended');
    expect(changed).toMatchObject({ title: 'Renamed', summary: 'Short', keyPoints: '- kp' });
    const audit = (await stack.request('GET', `/api/stories/${story.id}/audit`)).body.entries;
    expect(audit[0]).toMatchObject({ actor: 'desk', action: 'story.updated' });
    expect(audit[0].changes).toEqual({ title: 'Renamed', summary: 'Short', keyPoints: '- kp', status: 'ended' });
  });
});
