import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseDocument, DomUtils } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_DIST } from '../../src/http/pages/client-assets.ts';
import { eventually, startStack, type Stack } from '../helpers/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { PUBLIC_URL: 'https://news.example' } });
});
afterAll(async () => {
  await stack.close();
});

async function storyWithUpdates(title: string, count: number): Promise<{ id: string; slug: string }> {
  const { body: story } = await stack.request('POST', '/api/stories', { body: { title, summary: 'What we know' } });
  for (let i = 1; i <= count; i++) {
    await stack.request('POST', `/api/stories/${story.id}/updates`, {
      body: {
        id: `u${i}`,
        title: i === 1 ? 'First' : undefined,
        body: `Update **${i}** <script>alert(1)</script>`,
        keyEvent: i === 2,
      },
    });
  }
  await eventually(
    async () => (await stack.request('GET', `/api/stories/${story.id}`)).body.lastSeq === count,
    'updates applied',
  );
  return story;
}

async function getPage(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.urls[0]}${path}`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('the story page', () => {
  it('is server-rendered with the updates, pinned and key events, and the bootstrap for the script', async () => {
    const story = await storyWithUpdates('Page story', 3);
    const page = await getPage(`/stories/${story.slug}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const doc = parseDocument(page.text);
    const articles = DomUtils.findAll((el) => el.name === 'article', doc.children);
    expect(articles.map((a) => a.attribs.id)).toEqual(['update-u3', 'update-u2', 'update-u1']);
    expect(page.text).toContain('<strong>3</strong>');
    expect(page.text).not.toContain('<script>alert(1)</script>');
    const keyEvents = DomUtils.findAll(
      (el) =>
        el.name === 'li' && (el.parent as { attribs?: Record<string, string> } | null)?.attribs?.id === 'key-events',
      doc.children,
    );
    expect(keyEvents.map((li) => li.attribs['data-id'])).toEqual(['u2']);
    const bootstrap = DomUtils.findOne((el) => el.attribs.id === 'story-bootstrap', doc.children)!;
    expect(JSON.parse(DomUtils.textContent(bootstrap))).toMatchObject({
      storyId: story.id,
      slug: story.slug,
      lastSeq: 3,
    });
    expect(page.text).toContain(`<link rel="canonical" href="https://news.example/stories/${story.slug}">`);
    expect(page.text).toContain('<meta property="og:title" content="Page story">');
    expect(page.text).toContain('aria-live="polite"');
  });

  it('carries schema.org LiveBlogPosting JSON-LD that follows the story', async () => {
    const story = await storyWithUpdates('JSON-LD story', 2);
    const readLd = async () => {
      const doc = parseDocument((await getPage(`/stories/${story.slug}`)).text);
      const script = DomUtils.findOne(
        (el) => el.name === 'script' && el.attribs.type === 'application/ld+json',
        doc.children,
      )!;
      return JSON.parse(DomUtils.textContent(script));
    };
    const ld = await readLd();
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'LiveBlogPosting',
      headline: 'JSON-LD story',
      description: 'What we know',
      url: `https://news.example/stories/${story.slug}`,
    });
    for (const field of ['datePublished', 'dateModified', 'coverageStartTime'])
      expect(Date.parse(ld[field])).not.toBeNaN();
    expect(ld.coverageEndTime).toBeUndefined();
    expect(ld.liveBlogUpdate).toHaveLength(2);
    expect(ld.liveBlogUpdate[1]).toMatchObject({
      '@type': 'BlogPosting',
      headline: 'First',
      articleBody: 'Update 1 <script>alert(1)</script>',
      url: `https://news.example/stories/${story.slug}#update-u1`,
    });
    expect(Date.parse(ld.liveBlogUpdate[0].datePublished)).not.toBeNaN();

    await stack.request('PATCH', `/api/stories/${story.id}`, { body: { status: 'ended' } });
    // The page follows once this node has the story.updated event (the API reads Redis directly,
    // so it can say 'ended' a moment before the node's cached page is dropped).
    const ended = await eventually(async () => {
      const current = await readLd();
      return current.coverageEndTime ? current : undefined;
    }, 'the page to say the story ended');
    expect(Date.parse(ended.coverageEndTime)).not.toBeNaN();
    expect(Date.parse(ended.dateModified)).toBeGreaterThan(Date.parse(ld.dateModified));
  });

  it('is cacheable: ETag and Cache-Control, 304 while unchanged, a new ETag after an event', async () => {
    const story = await storyWithUpdates('Cache story', 1);
    const first = await getPage(`/stories/${story.slug}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toMatch(/public.*s-maxage/);
    const revalidated = await getPage(`/stories/${story.slug}`, { 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    await stack.request('POST', `/api/stories/${story.id}/updates`, { body: { body: 'News' } });
    // Until this node hears the event, its cached page (and ETag) is still the current one.
    const changed = await eventually(async () => {
      const page = await getPage(`/stories/${story.slug}`, { 'if-none-match': etag });
      return page.status === 304 ? undefined : page;
    }, 'a page after the second update');
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('pages older updates with ?before= and links to them', async () => {
    const story = await storyWithUpdates('Long story', 33);
    const page = await getPage(`/stories/${story.slug}`);
    const link = /id="load-older" href="\?before=(\d+)"/.exec(page.text);
    expect(link).not.toBeNull();
    const older = await getPage(`/stories/${story.slug}?before=${link![1]}`);
    expect(older.text).toContain('id="update-u3"');
    expect(older.text).not.toContain('id="update-u4"');
  });

  it('answers 404 with the error body for an unknown story', async () => {
    const page = await getPage('/stories/no-such-story');
    expect(page.status).toBe(404);
    expect(JSON.parse(page.text).error.code).toBe('STORY_NOT_FOUND');
  });
});

describe('the Atom feed', () => {
  it('is well-formed Atom with one entry per update', async () => {
    const story = await storyWithUpdates('Feed story', 2);
    const feed = await getPage(`/stories/${story.slug}/feed.xml`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    const doc = parseDocument(feed.text, { xmlMode: true });
    const root = DomUtils.findOne((el) => el.name === 'feed', doc.children)!;
    expect(root.attribs.xmlns).toBe('http://www.w3.org/2005/Atom');
    const entries = DomUtils.findAll((el) => el.name === 'entry', doc.children);
    expect(entries).toHaveLength(2);
    const first = entries[1]!;
    expect(DomUtils.textContent(DomUtils.findOne((el) => el.name === 'title', first.children)!)).toBe('First');
    expect(DomUtils.textContent(DomUtils.findOne((el) => el.name === 'id', first.children)!)).toBe(
      `https://news.example/stories/${story.slug}#update-u1`,
    );
    expect(DomUtils.textContent(DomUtils.findOne((el) => el.name === 'content', first.children)!)).toContain(
      '<strong>1</strong>',
    );
  });
});

describe('the browser bundles', () => {
  it('keep the reader page script within 40 KB gzipped, Socket.IO client included', () => {
    const manifest = JSON.parse(readFileSync(join(CLIENT_DIST, '.vite', 'manifest.json'), 'utf8')) as Record<
      string,
      { file: string; isEntry?: boolean; name?: string; imports?: string[] }
    >;
    const entryKey = Object.keys(manifest).find((key) => manifest[key]!.isEntry && manifest[key]!.name === 'reader')!;
    const files = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key]!;
      if (files.has(chunk.file)) return;
      files.add(chunk.file);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    visit(entryKey);
    const gzipped = [...files].reduce((sum, file) => sum + gzipSync(readFileSync(join(CLIENT_DIST, file))).length, 0);
    expect(readdirSync(join(CLIENT_DIST, 'assets')).some((f) => f.startsWith('reader-'))).toBe(true);
    expect(gzipped).toBeLessThanOrEqual(40 * 1024);
  });

  it('serves the service worker, the embed loader and the manifest at fixed URLs', async () => {
    for (const path of ['/sw.js', '/embed.js', '/manifest.webmanifest', '/icon-192.png']) {
      const res = await getPage(path);
      expect(res.status, path).toBe(200);
    }
    expect((await getPage('/.vite/manifest.json')).status).toBe(404);
  });
});
