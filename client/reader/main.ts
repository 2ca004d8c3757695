/**
 * The reader's story page script: takes over the server-rendered page and keeps it live over
 * Socket.IO from the seq the page was rendered at.
 */
import { io } from 'socket.io-client';
import type { StoryEvent } from '../../src/domain/events.ts';
import type { StoryBootstrap } from '../../src/shared/story-bootstrap.ts';
import type { Update } from '../../src/domain/update.ts';
import { StoryFeed, type ReaderSocket } from '../lib/story-feed.ts';
import { mountAlerts } from '../push/alerts.ts';
import { showConnectionStatus } from './connection-status.ts';
import { loadEmbedsOnClick } from './embed-cards.ts';
import { showKeyPoints } from './key-points.ts';
import { NewUpdatesBanner } from './new-updates-banner.ts';
import { tickRelativeTimes } from './relative-time.ts';
import { StoryDom, type Order } from './story-dom.ts';
import './reader.css';

const ORDER_KEY = 'stoppress:order';
const RELOAD_KEY = 'stoppress:reloaded-at';

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

const bootstrap = JSON.parse(byId('story-bootstrap').textContent ?? '{}') as StoryBootstrap;
const dom = new StoryDom(byId('updates'), byId('pinned'), byId('key-events'));
const banner = new NewUpdatesBanner(byId<HTMLButtonElement>('new-updates'), (updates) =>
  updates.forEach((u) => dom.place(u)),
);
const connection = byId('connection');
let next = bootstrap.next;

function showStory(story: NonNullable<StoryEvent['story']>): void {
  document.querySelector('h1')!.textContent = story.title;
  const summary = document.querySelector<HTMLElement>('.summary');
  if (summary) {
    summary.textContent = story.summary;
    summary.hidden = !story.summary;
  }
  const ended = story.status === 'ended';
  document.querySelector('.live-label')!.innerHTML = ended
    ? 'Coverage ended'
    : '<span class="live-dot" aria-hidden="true"></span> Live';
  document.querySelector<HTMLElement>('.developing')?.toggleAttribute('hidden', ended);
  showKeyPoints(story.keyPointsHtml);
}

function showNewUpdate(update: Update): void {
  if (dom.order === 'oldest' || (banner.readerAtTop() && !document.hidden)) dom.place(update);
  else banner.hold(update);
}

function applyEvent(event: StoryEvent): void {
  if (event.type === 'story.updated' && event.story) return showStory(event.story);
  const update = event.update;
  if (!update) return;
  if (event.type === 'update.deleted') {
    if (!banner.drop(update.id)) dom.remove(update.id);
    return;
  }
  if (dom.has(update.id)) return dom.place(update);
  if (banner.replaceHeld(update)) return;
  if (event.type === 'update.created') return showNewUpdate(update);
  // An edit of an update older than the loaded pages matters only if it now belongs at the top.
  if (update.pinned || update.keyEvent) dom.place(update);
}

/** The log behind this page is gone: a fresh render is the simplest correct state. */
function reloadPage(): void {
  const last = Number(sessionStorage.getItem(RELOAD_KEY) ?? 0);
  if (Date.now() - last < 10_000) return showConnectionStatus(connection, 'offline');
  sessionStorage.setItem(RELOAD_KEY, String(Date.now()));
  location.reload();
}

function startFeed(): StoryFeed {
  const socket: ReaderSocket = io({ transports: ['websocket', 'polling'], tryAllTransports: true });
  const feed = new StoryFeed({
    socket,
    storyId: bootstrap.storyId,
    apiBase: '',
    after: bootstrap.lastSeq,
    epoch: bootstrap.epoch,
    onEvent: applyEvent,
    onReload: reloadPage,
    onStatus: (status) => showConnectionStatus(connection, status),
  });
  // A phone waking up may have missed events while its socket looked alive.
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) return;
    feed.resume();
    if (banner.readerAtTop()) banner.release();
  });
  window.addEventListener('online', () => feed.resume());
  return feed;
}

async function loadOlder(link: HTMLAnchorElement): Promise<void> {
  if (!next) return;
  link.setAttribute('aria-busy', 'true');
  try {
    const response = await fetch(
      `/api/stories/${encodeURIComponent(bootstrap.storyId)}/updates?limit=30&before=${encodeURIComponent(next)}`,
    );
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const page = (await response.json()) as { updates: Update[]; next: string | null };
    dom.appendOlder(page.updates);
    next = page.next;
    if (!next) link.closest('p')?.remove();
  } catch {
    link.textContent = 'Could not load older updates; try again';
  } finally {
    link.removeAttribute('aria-busy');
  }
}

function setUpOlderLink(): void {
  const link = document.getElementById('load-older') as HTMLAnchorElement | null;
  link?.addEventListener('click', (event) => {
    event.preventDefault();
    void loadOlder(link);
  });
}

function setUpOrderToggle(): void {
  const button = byId<HTMLButtonElement>('order-toggle');
  const apply = (order: Order): void => {
    dom.setOrder(order);
    button.setAttribute('aria-pressed', String(order === 'oldest'));
    button.textContent = order === 'oldest' ? 'Newest first' : 'Oldest first';
    localStorage.setItem(ORDER_KEY, order);
  };
  button.hidden = false;
  button.addEventListener('click', () => {
    banner.release();
    apply(dom.order === 'newest' ? 'oldest' : 'newest');
  });
  if (localStorage.getItem(ORDER_KEY) === 'oldest') apply('oldest');
}

/** Inside an embed iframe, tell the host page how tall the feed is. */
function reportHeightToHost(): void {
  const post = () =>
    parent.postMessage({ type: 'stoppress:height', height: document.documentElement.scrollHeight }, '*');
  new ResizeObserver(post).observe(document.body);
}

function main(): void {
  tickRelativeTimes();
  setUpOlderLink();
  setUpOrderToggle();
  // A page cached before the list existed has none: no Mastodon post is framed.
  loadEmbedsOnClick(document, bootstrap.mastodonHosts ?? []);
  startFeed();
  if (bootstrap.embed) reportHeightToHost();
  else mountAlerts(byId('alerts'), { storyId: bootstrap.storyId });
}

main();
