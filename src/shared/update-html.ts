/**
 * The markup of one update, shared by the server-rendered page and the reader script (which
 * renders live and older updates with it), so both always look the same.
 */
import type { Update } from '../domain/update.ts';
import { withoutEmbedControls } from './embed-card-text.ts';
import { bylineHtml } from './byline-html.ts';
import { escapeHtml } from './escape.ts';

export function timeHtml(iso: string): string {
  const date = new Date(iso);
  const label = date
    .toUTCString()
    .replace(':00 GMT', ' UTC')
    .replace(/^\w+, /, '');
  return `<time datetime="${escapeHtml(iso)}" data-relative>${escapeHtml(label)}</time>`;
}

export function renderUpdate(update: Update): string {
  const classes = ['update', update.pinned ? 'is-pinned' : '', update.keyEvent ? 'is-key-event' : '']
    .filter(Boolean)
    .join(' ');
  return `<article class="${classes}" id="update-${escapeHtml(update.id)}" data-id="${escapeHtml(update.id)}" data-created="${escapeHtml(update.createdAt)}" data-version="${update.version}">
<header class="update-meta">${timeHtml(update.createdAt)}${update.keyEvent ? ' <span class="badge badge-key">Key event</span>' : ''}${update.pinned ? ' <span class="badge badge-pin">Pinned</span>' : ''}${update.editedAt ? ` <span class="badge badge-edited" title="Updated ${escapeHtml(update.editedAt)}">Updated</span>` : ''}<a class="permalink" href="#update-${escapeHtml(update.id)}" aria-label="Link to this update">#</a></header>
${update.title ? `<h2 class="update-title">${escapeHtml(update.title)}</h2>` : ''}
<div class="update-body">${update.html}</div>
${bylineHtml(update)}
</article>`;
}

/** Plain text of an update's HTML, for short labels. */
export function updateLabel(update: Pick<Update, 'title' | 'html'>, length = 90): string {
  if (update.title) return update.title;
  const text = withoutEmbedControls(update.html)
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** One entry of the "Key events" list. The label is decoded text, so it is escaped once here. */
export function keyEventItem(update: Update): string {
  const label = updateLabel(update)
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
  return `<li data-id="${escapeHtml(update.id)}" data-created="${escapeHtml(update.createdAt)}"><a href="#update-${escapeHtml(update.id)}">${escapeHtml(label)}</a></li>`;
}
