/**
 * Our photos in rendered update HTML. It runs after the sanitizer, on its output: an `<img>` whose
 * src is one of our media URLs with a known record becomes a responsive picture built here from the
 * record (trusted: we generated it) and the alt text the sanitizer already escaped. Any other image
 * is left exactly as the sanitizer made it. A paragraph holding only photos becomes figures with a
 * caption and credit; a photo inside text stays an inline responsive image (a figure may not sit in a <p>).
 */
import { escapeHtml } from '../shared/escape.ts';
import type { MediaLookup, MediaRecord, MediaVariant } from './media-record.ts';

/** The reader column (44rem less padding) on wide screens, the viewport less padding on narrow ones. */
export const FIGURE_SIZES = '(min-width: 44rem) 42rem, calc(100vw - 2rem)';

const IMG_TAG = /<img\s([^>]*?)\s*\/?>/g;
const PHOTO_PARAGRAPH = /<p>((?:\s*<img\s[^>]*>\s*(?:<br\s*\/?>)?)+)\s*<\/p>/g;
const ATTRIBUTE = /([a-z-]+)="([^"]*)"/g;

function attributesOf(tagBody: string): Record<string, string> {
  return Object.fromEntries([...tagBody.matchAll(ATTRIBUTE)].map((m) => [m[1]!, m[2]!]));
}

function srcset(variants: MediaVariant[], type: string): string {
  return variants
    .filter((v) => v.type === type)
    .map((v) => `${escapeHtml(v.url)} ${v.width}w`)
    .join(', ');
}

/** `escapedAlt` comes from sanitized HTML (entities already encoded); the record's alt is plain text. */
export function pictureHtml(record: MediaRecord, escapedAlt: string): string {
  const alt = escapedAlt || escapeHtml(record.alt);
  const webp = srcset(record.variants, 'image/webp');
  const source = webp ? `<source type="image/webp" srcset="${webp}" sizes="${FIGURE_SIZES}">` : '';
  return (
    `<picture>${source}<img src="${escapeHtml(record.url)}" srcset="${srcset(record.variants, record.type)}"` +
    ` sizes="${FIGURE_SIZES}" width="${record.width}" height="${record.height}" alt="${alt}"` +
    ` loading="lazy" decoding="async"></picture>`
  );
}

export function figureHtml(record: MediaRecord, escapedAlt: string): string {
  const caption = record.caption ? `<span class="media-caption">${escapeHtml(record.caption)}</span>` : '';
  const credit = record.credit ? `<span class="media-credit">${escapeHtml(record.credit)}</span>` : '';
  const figcaption = caption || credit ? `<figcaption>${[caption, credit].filter(Boolean).join(' ')}</figcaption>` : '';
  return `<figure class="media-figure">${pictureHtml(record, escapedAlt)}${figcaption}</figure>`;
}

function ourPhoto(tagBody: string, lookup: MediaLookup): { record: MediaRecord; alt: string } | null {
  const attributes = attributesOf(tagBody);
  // The sanitizer never lets srcset through, so an <img> with one is a picture built here already.
  if (attributes.srcset !== undefined) return null;
  const record = attributes.src ? lookup(attributes.src) : undefined;
  return record ? { record, alt: attributes.alt ?? '' } : null;
}

/** Sanitized update HTML with our photos turned into figures (see the module comment). */
export function withMediaFigures(html: string, lookup: MediaLookup): string {
  const figures = html.replace(PHOTO_PARAGRAPH, (paragraph, content: string) => {
    const photos = [...content.matchAll(IMG_TAG)].map((m) => ourPhoto(m[1]!, lookup));
    if (photos.some((photo) => photo === null)) return paragraph;
    return photos.map((photo) => figureHtml(photo!.record, photo!.alt)).join('\n');
  });
  return figures.replace(IMG_TAG, (tag, body: string) => {
    const photo = ourPhoto(body, lookup);
    return photo ? pictureHtml(photo.record, photo.alt) : tag;
  });
}

const OUR_IMG_SRC = /<img src="(\/media\/[0-9a-f]+-\d+\.(?:jpg|webp))"/;

/** The first of our photos in rendered update HTML (its widest JPEG), or null. */
export function firstPhotoIn(html: string): string | null {
  return OUR_IMG_SRC.exec(html)?.[1] ?? null;
}
