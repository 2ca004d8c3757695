/**
 * The dashboard's controller: composes the sign-in session, the stories, the composer and the
 * update actions, and hands the page's events to them.
 */
import { startAuditTrail } from './audit-trail.ts';
import { Composer } from './composer.ts';
import { listenToDom } from './dom-events.ts';
import { PhotoUploader } from './photo-upload.ts';
import { startEditorsScreen } from './editors-screen.ts';
import { startOwnByline } from './own-byline.ts';
import { createProblemReporter } from './problems.ts';
import { startReview } from './review-wiring.ts';
import { ScheduledPanel } from './scheduled-panel.ts';
import { savedToken } from './saved-token.ts';
import { createSession } from './session.ts';
import type { Store } from './store.ts';
import type { DashboardState } from './state.ts';
import { createStories } from './stories.ts';
import { createStorySettings } from './story-settings.ts';
import { createUpdateActions } from './update-actions.ts';

export function startDashboard(store: Store<DashboardState>): void {
  // The parts call each other through these names only after start-up, once all are built.
  const showProblem = createProblemReporter(store, (problem) => session.signOut(problem));
  const composer = new Composer({
    api: () => session.connection()?.api ?? null,
    onStart: () => store.set({ problem: null, notice: '' }),
    onAccepted: (storyId, update) => {
      if (review.isContributor()) review.submitted();
      else if (update.publishAt) scheduled.accepted(storyId);
      else stories.posted(storyId, update);
    },
    onFailed: showProblem,
  });
  new PhotoUploader({ api: () => session.connection()?.api ?? null, onFailed: showProblem });
  const stories = createStories({ store, composer, connection: () => session.connection(), showProblem });
  const session = createSession({
    store,
    composer,
    onSignedIn: async () => {
      await review.signedIn(session.connection());
      await stories.load();
      await stories.selectFromHash();
    },
    onSigningOut: () => {
      stories.stopFollowing();
      review.signedOut();
    },
  });
  const review = startReview(store, composer, showProblem);
  const updateActions = createUpdateActions(store, stories.following, showProblem);
  const settings = createStorySettings({ store, connection: () => session.connection(), showProblem });
  const scheduled = new ScheduledPanel({
    api: () => session.connection()?.api ?? null,
    onProblem: showProblem,
    onNotice: (notice) => store.set({ notice }),
  });
  store.subscribe((state) => scheduled.show(state.session === 'signed-in' ? state.selectedId : null));

  listenToDom(store, {
    actions: {
      'sign-out': () => session.signOut(),
      'dismiss-problem': () => store.set({ problem: null }),
      'refresh-stories': () => void stories.load(),
      'toggle-story-status': stories.toggleStatus,
      'load-older': () => void stories.following()?.loadOlder(),
      ...updateActions.actions,
    },
    forms: {
      'sign-in': session.submitSignIn,
      'create-story': stories.create,
      'edit-update': updateActions.saveEdit,
      'story-settings': settings.submit,
    },
    onHashChange: () => void stories.selectFromHash(),
  });

  const adminScreens = { store, api: () => session.connection()?.api ?? null, showProblem };
  startEditorsScreen(adminScreens);
  startAuditTrail(adminScreens);
  startOwnByline(adminScreens);

  const token = savedToken();
  if (token) void session.signIn(token);
}
