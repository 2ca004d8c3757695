/**
 * Draws the dashboard from its state. Each region is redrawn only when the part of the state it
 * shows changed, and the composer is never redrawn here: its fields belong to the editor.
 */
import type { Story } from '../../src/domain/story.ts';
import type { FeedStatus } from '../lib/story-feed.ts';
import { byId, formatTime, h } from './dom.ts';
import { renderKeyedList } from './keyed-list.ts';
import { renderUpdateRow } from './render-update.ts';
import { selectedStory, type DashboardState } from './state.ts';
import { itemSignature, updateItems } from './update-items.ts';

const FEED_LABEL: Record<FeedStatus | 'idle', string> = {
  idle: 'Loading…',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  reload: 'Reloading…',
};

export function createRenderer() {
  const view = {
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

  function renderSession(state: DashboardState): void {
    const signedIn = state.session === 'signed-in';
    view.signIn.hidden = signedIn;
    view.dashboard.hidden = !signedIn;
    view.sessionBar.hidden = !signedIn;
    view.signInSubmit.disabled = state.session === 'checking';
    view.signInSubmit.textContent = state.session === 'checking' ? 'Checking…' : 'Sign in';
  }

  function renderMessages(state: DashboardState): void {
    const problem = state.problem;
    view.problem.replaceChildren(
      ...(problem
        ? [
            h(
              'div',
              { class: 'problem' },
              h(
                'p',
                { class: 'problem-text' },
                h('strong', {}, 'Error: '),
                problem.message,
                ' ',
                h('code', { class: 'problem-code' }, problem.code),
              ),
              h('button', { type: 'button', class: 'button small', 'data-action': 'dismiss-problem' }, 'Dismiss'),
            ),
          ]
        : []),
    );
    // A new element per notice restarts its fade-out animation.
    view.notice.replaceChildren(...(state.notice ? [h('span', { class: 'notice-text' }, state.notice)] : []));
  }

  function renderStories(state: DashboardState): void {
    view.storyList.setAttribute('aria-busy', String(state.storiesLoading));
    view.storyListEmpty.hidden = state.storiesLoading || state.stories.length > 0;
    renderKeyedList(view.storyList, state.stories, {
      key: (story) => story.id,
      signature: (story) => JSON.stringify([story.title, story.status, story.slug, story.id === state.selectedId]),
      render: (story) => storyRow(story, story.id === state.selectedId),
    });
  }

  function renderStoryHeader(state: DashboardState): void {
    const story = selectedStory(state);
    view.noStory.hidden = Boolean(story);
    view.storyPanel.hidden = !story;
    if (!story) return;
    const ended = story.status === 'ended';
    view.storyTitle.textContent = story.title;
    view.storyStatus.textContent = ended ? 'Ended' : 'Live';
    view.storyStatus.dataset.status = story.status;
    const readerUrl = `/stories/${encodeURIComponent(story.slug)}`;
    view.storyLink.href = readerUrl;
    view.storyLink.textContent = `${readerUrl} ↗`;
    view.storyReaders.textContent = state.readers === null ? '–' : String(state.readers);
    view.storyFeed.textContent = FEED_LABEL[state.feed];
    view.storyFeed.dataset.status = state.feed;
    const changing = state.statusChange !== null;
    view.statusToggle.disabled = changing;
    view.statusToggle.textContent = changing
      ? state.statusChange === 'ended'
        ? 'Ending…'
        : 'Reopening…'
      : ended
        ? 'Reopen story'
        : 'End story';
    view.statusToggle.classList.toggle('danger-quiet', !ended);
    view.composerEnded.hidden = !ended;
  }

  function renderUpdates(state: DashboardState): void {
    const items = updateItems(state);
    view.updateCount.textContent = state.updatesLoading ? '' : String(items.length);
    view.updateListEmpty.hidden = state.updatesLoading || items.length > 0;
    view.updateList.setAttribute('aria-busy', String(state.updatesLoading));
    renderKeyedList(view.updateList, items, {
      key: (item) => item.id,
      signature: itemSignature,
      render: renderUpdateRow,
    });
    view.loadOlder.hidden = !state.olderCursor;
  }

  return function render(state: DashboardState, previous: DashboardState | null): void {
    const changed = (...keys: (keyof DashboardState)[]) =>
      !previous || keys.some((key) => state[key] !== previous[key]);
    if (changed('session')) renderSession(state);
    if (changed('problem', 'notice')) renderMessages(state);
    if (changed('stories', 'storiesLoading', 'selectedId')) renderStories(state);
    if (changed('stories', 'selectedId', 'readers', 'feed', 'statusChange')) renderStoryHeader(state);
    if (changed('updates', 'updatesLoading', 'posted', 'ui', 'olderCursor', 'selectedId')) renderUpdates(state);
  };
}

function storyRow(story: Story, selected: boolean): HTMLLIElement {
  return h(
    'li',
    { class: selected ? 'story-row is-selected' : 'story-row' },
    h(
      'a',
      {
        class: 'story-item',
        href: `#story=${encodeURIComponent(story.id)}`,
        'aria-current': selected ? 'page' : undefined,
        'data-action': 'select-story',
      },
      h('span', { class: 'story-item-title' }, story.title),
      h(
        'span',
        { class: 'story-item-meta' },
        h(
          'span',
          { class: 'status-badge small', 'data-status': story.status },
          story.status === 'ended' ? 'Ended' : 'Live',
        ),
        ` ${formatTime(story.createdAt)}`,
      ),
    ),
    h(
      'a',
      {
        class: 'story-reader-link',
        href: `/stories/${encodeURIComponent(story.slug)}`,
        target: '_blank',
        rel: 'noopener',
        'aria-label': `Reader page of ${story.title}`,
      },
      '↗',
    ),
  );
}
