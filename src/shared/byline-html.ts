/**
 * An update's byline, "By A and B", for the server-rendered page and the reader script alike.
 * British list style ("A, B and C", no serial comma), as most newsrooms write bylines.
 */
import type { Byline } from '../domain/byline.ts';
import type { Update } from '../domain/update.ts';
import { escapeHtml } from './escape.ts';

/** The bylines of an update stored before updates had `authors`: its poster, by account name. */
export function bylinesOf(update: { author: string; authors?: Byline[] | undefined }): Byline[] {
  return update.authors?.length ? update.authors : [{ name: update.author, displayName: update.author, title: null }];
}

const LIST = new Intl.ListFormat('en-GB', { style: 'long', type: 'conjunction' });

/** "By A and B" as plain text; one author's title follows the name ("By A, Kyiv correspondent"). */
export function bylineText(authors: Byline[]): string {
  const names = LIST.format(authors.map((a) => a.displayName));
  const only = authors.length === 1 ? authors[0] : undefined;
  return only?.title ? `By ${names}, ${only.title}` : `By ${names}`;
}

function avatarsHtml(authors: Byline[]): string {
  // Decorative: the names beside them say who it is.
  return authors
    .filter((a) => a.avatarUrl)
    .map(
      (a) =>
        `<img class="byline-avatar" src="${escapeHtml(a.avatarUrl!)}" alt="" width="32" height="32" loading="lazy">`,
    )
    .join('');
}

export function bylineHtml(update: Pick<Update, 'author' | 'authors'>): string {
  const authors = bylinesOf(update);
  const names = LIST.formatToParts(authors.map((a) => a.displayName))
    .map((part) =>
      part.type === 'element' ? `<span class="byline-name">${escapeHtml(part.value)}</span>` : escapeHtml(part.value),
    )
    .join('');
  const only = authors.length === 1 ? authors[0] : undefined;
  const title = only?.title ? `, <span class="byline-title">${escapeHtml(only.title)}</span>` : '';
  return `<footer class="update-author">${avatarsHtml(authors)}By ${names}${title}</footer>`;
}
