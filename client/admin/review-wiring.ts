/**
 * Connects the review step to the dashboard: learns the role at sign-in (GET /api/me), adapts the
 * page to it, and keeps the review panel on the selected story.
 */
import type { Composer } from './composer.ts';
import type { ShowProblem } from './problems.ts';
import { ReviewPanel } from './review-panel.ts';
import { applyRole } from './review-role.ts';
import type { Connection } from './session.ts';
import type { Store } from './store.ts';
import type { DashboardState } from './state.ts';

export function startReview(store: Store<DashboardState>, composer: Composer, showProblem: ShowProblem) {
  const panel = new ReviewPanel(showProblem);
  store.subscribe((state, previous) => {
    if (state.selectedId !== previous.selectedId) panel.show(state.selectedId);
  });
  return {
    isContributor: () => panel.isContributor(),
    submitted: () => panel.submitted(),
    async signedIn(connection: Connection | null): Promise<void> {
      if (!connection) return;
      try {
        const me = await connection.review.me();
        panel.signedIn(connection.review, me.role);
        applyRole(me.role, composer);
      } catch (error) {
        showProblem(error);
      }
    },
    signedOut(): void {
      panel.stop();
      applyRole(null, composer);
    },
  };
}
