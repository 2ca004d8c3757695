/**
 * A story's "What we know" block: a short Markdown list of key points. It is a list and nothing
 * else: the parser here knows no headings, images, tables, quotes, code blocks or raw HTML (their
 * characters stay text), the API refuses Markdown whose top level is not a list, and a smaller
 * allowlist than the update sanitizer's is enforced on the HTML, whatever the parser produced.
 */
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { LIMITS } from './limits.ts';
import { LINK_RULES } from './markdown.ts';
import { bodyBytes } from './update.ts';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: true, breaks: false }).disable([
  'table',
  'code',
  'fence',
  'blockquote',
  'hr',
  'reference',
  'html_block',
  'heading',
  'lheading',
  'image',
  'html_inline',
]);

const LIST_TOKENS = new Set(['bullet_list_open', 'bullet_list_close', 'ordered_list_open', 'ordered_list_close']);

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['ul', 'ol', 'li', 'p', 'br', 'strong', 'em', 's', 'del', 'code', 'a'],
  allowedAttributes: { a: ['href', 'rel', 'target'], ol: ['start'] },
  ...LINK_RULES,
  disallowedTagsMode: 'discard',
};

export type KeyPointsProblem = 'KEY_POINTS_TOO_LARGE' | 'NOT_A_LIST';

/** Why these key points cannot be stored, or null if they can. Blank clears the block. */
export function keyPointsProblem(source: string): KeyPointsProblem | null {
  if (bodyBytes(source) > LIMITS.keyPointsBytes) return 'KEY_POINTS_TOO_LARGE';
  const topLevel = markdown.parse(source, {}).filter((token) => token.level === 0);
  return topLevel.every((token) => LIST_TOKENS.has(token.type)) ? null : 'NOT_A_LIST';
}

/** The block's sanitized HTML: one list (or nothing for blank key points). */
export function renderKeyPoints(source: string): string {
  return sanitizeHtml(markdown.render(source), SANITIZE_OPTIONS).trim();
}
