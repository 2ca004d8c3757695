/**
 * What a push alert says: a small JSON payload (at most 3 KB) that the service worker turns into
 * a notification. The body is the update's text without markup, cut to fit.
 */
import sanitizeHtml from 'sanitize-html';
import type { Story } from '../domain/story.ts';
import type { Update } from '../domain/update.ts';
import type { AlertPayload } from '../shared/alert-payload.ts';
import { withoutEmbedControls } from '../shared/embed-card-text.ts';

export const MAX_PAYLOAD_BYTES = 3 * 1024;
const BODY_CHARS = 400;
const SHORT_BODY_CHARS = 120;

export interface AlertInput {
  story: Pick<Story, 'id' | 'slug' | 'title'>;
  update: Pick<Update, 'id' | 'title' | 'html'>;
  publicUrl: string;
  breaking: boolean;
}

function plainText(html: string): string {
  return sanitizeHtml(withoutEmbedControls(html), { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function cut(text: string, chars: number): string {
  const glyphs = [...text];
  return glyphs.length <= chars
    ? text
    : `${glyphs
        .slice(0, chars - 1)
        .join('')
        .trimEnd()}…`;
}

export function alertPayload(input: AlertInput, bodyChars = BODY_CHARS): AlertPayload {
  const { story, update, publicUrl, breaking } = input;
  const text = plainText(update.html);
  const body = update.title ? `${update.title} — ${text}` : text;
  return {
    title: cut(breaking ? `Breaking: ${story.title}` : story.title, 120),
    body: cut(body, bodyChars),
    url: `${publicUrl.replace(/\/$/, '')}/stories/${encodeURIComponent(story.slug)}#update-${update.id}`,
    storyId: story.id,
    updateId: update.id,
    tag: `story-${story.id}`,
    icon: `${publicUrl.replace(/\/$/, '')}/icon-192.png`,
    breaking,
  };
}

/** The payload as sent: JSON of at most MAX_PAYLOAD_BYTES, shortening the body until it fits. */
export function encodeAlert(payload: AlertPayload): string {
  let current = payload;
  let json = JSON.stringify(current);
  while (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES && current.body.length > 1) {
    current = { ...current, body: cut(current.body, Math.floor([...current.body].length / 2)) };
    json = JSON.stringify(current);
  }
  return json;
}

/** The shorter form sent once after a push service answers 413. */
export function shortenAlert(json: string): string {
  const payload = JSON.parse(json) as AlertPayload;
  const { icon: _icon, ...rest } = payload;
  return JSON.stringify({ ...rest, body: cut(payload.body, SHORT_BODY_CHARS) });
}
