/**
 * Markdown → safe HTML for update bodies. markdown-it parses (raw HTML off, so editors write
 * Markdown, not markup); sanitize-html then enforces an allowlist, so even a parser bug or a
 * future option change cannot let a script, an event handler or a javascript:/data: URL through.
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import {
  EMBED_CARD_ATTRIBUTES,
  EMBED_CARD_CLASSES,
  EMBED_CARD_TAGS,
  EMBED_CARD_TRANSFORMS,
  embedCards,
  type EmbedRenderOptions,
} from './embed-cards.ts';
import { withMediaFigures } from '../media/media-figure.ts';
import type { MediaLookup } from '../media/media-record.ts';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true, breaks: true }).use(embedCards);

/** How every link in sanitized HTML is allowed and marked: key points follow the same rules. */
export const LINK_RULES = {
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName: string, attribs: sanitizeHtml.Attributes) => ({
      tagName,
      attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' },
    }),
  },
} satisfies sanitizeHtml.IOptions;

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'pre',
    'code',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'b',
    'i',
    's',
    'del',
    'sub',
    'sup',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    ...EMBED_CARD_TAGS,
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
    code: ['class'],
    ...EMBED_CARD_ATTRIBUTES,
  },
  allowedClasses: { code: [/^language-[\w-]+$/], ...EMBED_CARD_CLASSES },
  allowedSchemes: LINK_RULES.allowedSchemes,
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: LINK_RULES.allowProtocolRelative,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: LINK_RULES.transformTags.a,
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, loading: 'lazy' } }),
    ...EMBED_CARD_TRANSFORMS,
  },
};

export function sanitizeUpdateHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

/**
 * With `media`, images of our own photos become figures (after sanitizing: see media-figure.ts);
 * `embeds` carries the deployment's embed settings (which Mastodon instances get "Load").
 */
export function renderMarkdown(source: string, media?: MediaLookup, embeds: EmbedRenderOptions = {}): string {
  // markdown-it hands `env` to its rules as state.env; a copy, since rules may write to it.
  const html = sanitizeUpdateHtml(markdown.render(source, { ...embeds })).trim();
  return media ? withMediaFigures(html, media) : html;
}
