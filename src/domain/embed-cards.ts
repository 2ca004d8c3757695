/**
 * Embedded social posts, private by default. A known post URL alone in a paragraph (optionally
 * followed by a blockquote, the editor's quote) becomes a card: the provider, the link, the quote
 * and a "Load" button. Nothing is fetched from the provider, neither here nor by the reader's
 * browser until the reader asks for it (client/reader/embed-cards.ts builds the iframe then).
 *
 * The sanitizer options below keep the card's markup and nothing more: four classes, three data
 * attributes whose values must agree with the provider table, and a button that can only be a
 * `type="button"`.
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import type sanitizeHtml from 'sanitize-html';
import { checkedEmbed, isFrameable, recogniseEmbed, type RecognisedEmbed } from '../shared/embeds.ts';
import { escapeHtml } from '../shared/escape.ts';

/** The post URL if the paragraph holds nothing else (a bare URL or an `<autolink>`). */
function bareUrl(inline: Token): string {
  const text = inline.content.trim();
  return text.startsWith('<') && text.endsWith('>') ? text.slice(1, -1) : text;
}

export function loadLabel(embed: RecognisedEmbed): string {
  return `Load the ${embed.provider.shape === 'video' ? 'video' : 'post'} from ${embed.provider.name}`;
}

function cardOpening(embed: RecognisedEmbed): string {
  const { provider, postUrl, embedUrl } = embed;
  return (
    `<div class="embed-card" data-embed-provider="${escapeHtml(provider.id)}" data-embed-post="${escapeHtml(postUrl)}" data-embed-src="${escapeHtml(embedUrl)}">\n` +
    `<div class="embed-source"><span class="embed-provider">${escapeHtml(provider.name)}</span> <a href="${escapeHtml(postUrl)}">${escapeHtml(postUrl)}</a></div>\n`
  );
}

function cardClosing(embed: RecognisedEmbed, mastodonHosts: readonly string[]): string {
  // A Mastodon post is served by its own instance, not by one company: name the host.
  const isMastodon = embed.provider.id === 'mastodon';
  const name = escapeHtml(isMastodon ? new URL(embed.embedUrl).hostname : embed.provider.name);
  const button = isFrameable(embed, mastodonHosts)
    ? `<button type="button" class="embed-load">${escapeHtml(loadLabel(embed))}</button> <span class="embed-note">Loading it connects you to ${name}.</span>\n`
    : '';
  return `${button}</div>\n`;
}

function htmlBlock(state: StateCore, content: string): Token {
  const token = new state.Token('html_block', '', 0);
  token.content = content;
  return token;
}

/** Index just past the blockquote that opens at `start`, or `start` when none does. */
function blockquoteEnd(tokens: Token[], start: number): number {
  if (tokens[start]?.type !== 'blockquote_open' || tokens[start]!.level !== 0) return start;
  const close = tokens.findIndex((t, i) => i > start && t.type === 'blockquote_close' && t.level === 0);
  return close === -1 ? start : close + 1;
}

/** What a render passes markdown-it as its `env`: the deployment's settings, never a global. */
export interface EmbedRenderOptions {
  /** Mastodon instances whose posts get a "Load" button (EMBED_MASTODON_HOSTS); none by default. */
  mastodonHosts?: readonly string[];
}

/** Runs on the block tokens, before inline parsing: only top-level paragraphs can be cards. */
function embedCardRule(state: StateCore): void {
  const tokens = state.tokens;
  const mastodonHosts = (state.env as EmbedRenderOptions | undefined)?.mastodonHosts ?? [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [open, inline, close] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
    if (open.type !== 'paragraph_open' || open.level !== 0 || inline.type !== 'inline') continue;
    if (close.type !== 'paragraph_close') continue;
    const embed = recogniseEmbed(bareUrl(inline));
    if (!embed) continue;
    const quoteEnd = blockquoteEnd(tokens, i + 3);
    const quote = tokens.slice(i + 3, quoteEnd);
    tokens.splice(
      i,
      quoteEnd - i,
      htmlBlock(state, cardOpening(embed)),
      ...quote,
      htmlBlock(state, cardClosing(embed, mastodonHosts)),
    );
    i += quote.length + 1;
  }
}

export function embedCards(md: MarkdownIt): void {
  md.core.ruler.after('block', 'embed_cards', embedCardRule);
}

export const EMBED_CARD_TAGS = ['div', 'span', 'button'];

export const EMBED_CARD_ATTRIBUTES: Record<string, string[]> = {
  div: ['class', 'data-embed-provider', 'data-embed-post', 'data-embed-src'],
  span: ['class'],
  button: ['type', 'class'],
};

export const EMBED_CARD_CLASSES: Record<string, string[]> = {
  div: ['embed-card', 'embed-source'],
  span: ['embed-provider', 'embed-note'],
  button: ['embed-load'],
};

/** A card's data attributes stay only if the provider table gives exactly them for the post URL. */
function checkedCardAttributes(attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const { 'data-embed-provider': provider, 'data-embed-post': post, 'data-embed-src': src, ...rest } = attribs;
  if (provider === undefined && post === undefined && src === undefined) return rest;
  return checkedEmbed(provider ?? '', post ?? '', src ?? '') ? attribs : rest;
}

/** Not allowed, so the sanitizer drops the tag and keeps its text, as for any tag outside the list. */
const DISCARDED = 'discarded-by-embed-cards';

/** A div, span or button stays only as part of a card, recognised by its class. */
function onlyInCards(tag: string, transform: sanitizeHtml.Transformer): sanitizeHtml.Transformer {
  return (tagName, attribs) => {
    const classes = (attribs.class ?? '').split(/\s+/);
    if (!EMBED_CARD_CLASSES[tag]!.some((name) => classes.includes(name))) return { tagName: DISCARDED, attribs: {} };
    return transform(tagName, attribs);
  };
}

export const EMBED_CARD_TRANSFORMS: Record<string, sanitizeHtml.Transformer> = {
  div: onlyInCards('div', (tagName, attribs) => ({ tagName, attribs: checkedCardAttributes(attribs) })),
  span: onlyInCards('span', (tagName, attribs) => ({ tagName, attribs })),
  button: onlyInCards('button', (tagName, attribs) => ({ tagName, attribs: { ...attribs, type: 'button' } })),
};
