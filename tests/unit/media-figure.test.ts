/**
 * Our photos in rendered Markdown: a figure built from the stored record, the editor's alt text
 * escaped, the caption and credit escaped, and nothing else changed (other images stay plain,
 * unknown media URLs stay plain, and the XSS corpus renders no script vector with a lookup either).
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/domain/markdown.ts';
import { firstPhotoIn } from '../../src/media/media-figure.ts';
import { mediaIdOfUrl, type MediaLookup, type MediaRecord } from '../../src/media/media-record.ts';
import { HTML_PAYLOADS, MARKDOWN_PAYLOADS } from '../helpers/xss-corpus.ts';

const ID = 'abcdef0123456789abcdef01';
const RECORD: MediaRecord = {
  id: ID,
  url: `/media/${ID}-1600.jpg`,
  width: 1600,
  height: 900,
  type: 'image/jpeg',
  alt: 'Stored "alt" <text>',
  caption: 'Crowds <script>alert(1)</script> at the square',
  credit: 'Photo: Smith & Jones',
  variants: [480, 960, 1600].flatMap((width) => [
    { url: `/media/${ID}-${width}.webp`, width, height: Math.round((width * 9) / 16), type: 'image/webp' as const },
    { url: `/media/${ID}-${width}.jpg`, width, height: Math.round((width * 9) / 16), type: 'image/jpeg' as const },
  ]),
};
// As the catalogue's lookup: by the id in a well-formed media URL.
const lookup: MediaLookup = (url) => (mediaIdOfUrl(url) === ID ? RECORD : undefined);

function dom(html: string) {
  const doc = parseDocument(html);
  return (name: string) => DomUtils.findAll((el) => el.name === name, doc.children);
}

describe('renderMarkdown with our photos', () => {
  it('turns a photo on a line of its own into a figure with srcset, sizes, size, lazy loading and a caption', () => {
    const html = renderMarkdown(`Intro\n\n![Police "line" <here>](/media/${ID}-1600.jpg)\n\nMore`, lookup);
    const byTag = dom(html);
    expect(byTag('p')).toHaveLength(2);
    const [figure] = byTag('figure');
    expect(figure!.attribs.class).toBe('media-figure');
    const [img] = byTag('img');
    expect(img!.attribs).toMatchObject({
      src: RECORD.url,
      width: '1600',
      height: '900',
      alt: 'Police "line" <here>',
      loading: 'lazy',
      decoding: 'async',
    });
    expect(img!.attribs.srcset).toBe(
      `/media/${ID}-480.jpg 480w, /media/${ID}-960.jpg 960w, /media/${ID}-1600.jpg 1600w`,
    );
    expect(img!.attribs.sizes).toMatch(/42rem/);
    const [source] = byTag('source');
    expect(source!.attribs).toMatchObject({ type: 'image/webp', srcset: expect.stringContaining('-960.webp 960w') });
    expect(DomUtils.textContent(byTag('figcaption')[0]!)).toBe(`${RECORD.caption} ${RECORD.credit}`);
    expect(byTag('script')).toHaveLength(0);
    expect(html).toContain('&lt;script&gt;');
  });

  it('falls back to the stored alt text when the Markdown gives none', () => {
    const [img] = dom(renderMarkdown(`![](/media/${ID}-960.webp)`, lookup))('img');
    expect(img!.attribs.alt).toBe(RECORD.alt);
  });

  it('keeps a photo inside text inline (no figure inside a paragraph) but responsive', () => {
    const byTag = dom(renderMarkdown(`See ![map](/media/${ID}-480.jpg) here`, lookup));
    expect(byTag('figure')).toHaveLength(0);
    expect(byTag('img')[0]!.attribs).toMatchObject({ width: '1600', height: '900', alt: 'map' });
  });

  it('leaves other images and unknown media URLs exactly as without a lookup', () => {
    for (const source of [
      '![Crowd](https://img.example/crowd.jpg)',
      `![gone](/media/${'f'.repeat(24)}-480.jpg)`,
      `![x](/media/${ID}-480.gif)`,
      `![x](https://evil.example/media/${ID}-480.jpg)`,
    ]) {
      expect(renderMarkdown(source, lookup)).toBe(renderMarkdown(source));
    }
  });

  it('names the figure photo for JSON-LD', () => {
    expect(firstPhotoIn(renderMarkdown(`![a](/media/${ID}-480.jpg)`, lookup))).toBe(RECORD.url);
    expect(firstPhotoIn(renderMarkdown('![a](https://img.example/a.jpg)', lookup))).toBeNull();
  });

  it.each([...MARKDOWN_PAYLOADS, ...HTML_PAYLOADS])('adds no script vector to $name', ({ source }) => {
    const html = renderMarkdown(`${source}\n\n![x](/media/${ID}-480.jpg)`, lookup);
    const elements = DomUtils.findAll(() => true, parseDocument(html).children);
    for (const el of elements) {
      expect(['script', 'iframe', 'object', 'embed', 'svg', 'math', 'style']).not.toContain(el.name);
      for (const name of Object.keys(el.attribs)) expect(name).not.toMatch(/^on|^style$|^srcdoc$/);
    }
  });
});
