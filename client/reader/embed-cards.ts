/**
 * The embed cards' "Load" buttons. Until a reader clicks one, the page makes no request to the
 * provider; then the button gives way to the provider's iframe. The iframe's address comes from
 * the provider table (src/shared/embeds.ts), recomputed here from the card's post URL and checked
 * against all of the card's attributes, so stored HTML can never choose what gets framed.
 * A Mastodon card is framed only if its instance is on the page's list (the bootstrap's copy of
 * EMBED_MASTODON_HOSTS), whatever the card says: a forged card, or one rendered while its instance
 * was listed and shown after it was removed, stays a link.
 * One listener on the document serves cards rendered by the server, added live and loaded later.
 */
import { checkedEmbed, isFrameable, type RecognisedEmbed } from '../../src/shared/embeds.ts';
import './embed-cards.css';

/** Scripts for the provider's own widget, its origin for its own cookies and APIs, and new tabs for its links. */
const SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox';

function cardEmbed(card: HTMLElement, mastodonHosts: readonly string[]): RecognisedEmbed | null {
  const { embedProvider, embedPost, embedSrc } = card.dataset;
  const embed = checkedEmbed(embedProvider ?? '', embedPost ?? '', embedSrc ?? '');
  return embed && isFrameable(embed, mastodonHosts) ? embed : null;
}

function embedFrame(embed: RecognisedEmbed): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  frame.className = `embed-frame embed-frame-${embed.provider.shape}`;
  frame.title = `${embed.provider.name} ${embed.provider.shape === 'video' ? 'video' : 'post'}`;
  frame.loading = 'lazy';
  frame.referrerPolicy = embed.provider.referrerPolicy;
  frame.setAttribute('sandbox', SANDBOX);
  if (embed.provider.allow) frame.allow = embed.provider.allow;
  frame.src = embed.embedUrl;
  return frame;
}

function loadEmbed(button: HTMLButtonElement, mastodonHosts: readonly string[]): void {
  const card = button.closest<HTMLElement>('.embed-card');
  if (!card) return;
  const embed = cardEmbed(card, mastodonHosts);
  card.querySelector('.embed-note')?.remove();
  // Not ours to frame: the card keeps its link, and no button promises what will not happen.
  if (!embed) {
    button.remove();
    card.querySelector('a')?.focus();
    return;
  }
  const frame = embedFrame(embed);
  button.replaceWith(frame);
  card.classList.add('is-loaded');
  // The button the reader pressed is gone: keep their place by moving focus to what replaced it.
  frame.focus();
}

export function loadEmbedsOnClick(root: Document, mastodonHosts: readonly string[]): void {
  root.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest?.<HTMLButtonElement>('.embed-card button.embed-load');
    if (button) loadEmbed(button, mastodonHosts);
  });
}
