/** The visible connection state: live, reconnecting or offline. */
import type { FeedStatus } from '../lib/story-feed.ts';

const LABELS: Record<FeedStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline: updates will resume when the connection is back',
  reload: 'Refreshing…',
};

export function showConnectionStatus(element: HTMLElement, status: FeedStatus): void {
  element.dataset.state = status;
  element.textContent = LABELS[status];
}
