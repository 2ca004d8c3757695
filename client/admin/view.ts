/** The dashboard's elements that the renderer draws into, looked up once. */
import { byId } from './dom.ts';

export type DashboardView = ReturnType<typeof findView>;

export function findView() {
  return {
    sessionBar: byId('session-bar', HTMLDivElement),
    problem: byId('problem', HTMLDivElement),
    notice: byId('notice', HTMLDivElement),
    signIn: byId('signin-view', HTMLElement),
    signInSubmit: byId('signin-submit', HTMLButtonElement),
    dashboard: byId('dashboard-view', HTMLDivElement),
    storyList: byId('story-list', HTMLUListElement),
    storyListEmpty: byId('story-list-empty', HTMLParagraphElement),
    noStory: byId('no-story', HTMLDivElement),
    storyPanel: byId('story-panel', HTMLDivElement),
    storyStatus: byId('story-status', HTMLSpanElement),
    storyTitle: byId('story-title', HTMLHeadingElement),
    storyReaders: byId('story-readers', HTMLElement),
    storyFeed: byId('story-feed', HTMLElement),
    storyLink: byId('story-link', HTMLAnchorElement),
    statusToggle: byId('story-status-toggle', HTMLButtonElement),
    composerEnded: byId('composer-ended', HTMLParagraphElement),
    updateList: byId('update-list', HTMLOListElement),
    updateListEmpty: byId('update-list-empty', HTMLParagraphElement),
    updateCount: byId('update-count', HTMLSpanElement),
    loadOlder: byId('load-older', HTMLButtonElement),
  };
}
