/**
 * The delivery counters of every alerted update of the selected story, from
 * `GET /api/stories/:id/alerts`: so they show after a reload and for alerts sent from another
 * tab, and keep counting while the story is open.
 */
import { ApiError, type Api, type StoryAlert } from './api.ts';
import { repeat } from './repeat.ts';
import type { Store } from './store.ts';
import type { DashboardState } from './state.ts';

const ALERTS_INTERVAL_MS = 5_000;

export function watchStoryAlerts(
  api: Api,
  storyId: string,
  store: Store<DashboardState>,
  onError: (error: ApiError) => void,
): () => void {
  let last = '';
  return repeat(async () => {
    if (document.hidden) return 'again';
    let alerts: StoryAlert[];
    try {
      ({ alerts } = await api.alerts(storyId));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHORIZED') onError(error);
      return 'again';
    }
    if (store.get().selectedId !== storyId) return 'stop';
    const counts = JSON.stringify(alerts);
    // Unchanged counters: no new state, so the update list is not redrawn.
    if (counts !== last) store.set({ alerts: Object.fromEntries(alerts.map((alert) => [alert.updateId, alert])) });
    last = counts;
    return 'again';
  }, ALERTS_INTERVAL_MS);
}
