/** Draws the story list and the selected story's header. */
import type { Story } from '../../src/domain/story.ts';
import type { FeedStatus } from '../lib/story-feed.ts';
import { formatTime, h } from './dom.ts';
import { renderKeyedList } from './keyed-list.ts';
import { selectedStory, type DashboardState } from './state.ts';
import type { DashboardView } from './view.ts';

const FEED_LABEL: Record<FeedStatus | 'idle', string> = {
  idle: 'Loading…',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  reload: 'Reloading…',
};

export function renderStoryList(view: DashboardView, state: DashboardState): void {
  view.storyList.setAttribute('aria-busy', String(state.storiesLoading));
  view.storyListEmpty.hidden = state.storiesLoading || state.stories.length > 0;
  renderKeyedList(view.storyList, state.stories, {
    key: (story) => story.id,
    signature: (story) => JSON.stringify([story.title, story.status, story.slug, story.id === state.selectedId]),
    render: (story) => storyRow(story, story.id === state.selectedId),
  });
}

export function renderStoryHeader(view: DashboardView, state: DashboardState): void {
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
  view.statusToggle.disabled = state.statusChange !== null;
  view.statusToggle.textContent = statusToggleLabel(state.statusChange, ended);
  view.statusToggle.classList.toggle('danger-quiet', !ended);
  view.composerEnded.hidden = !ended;
}

function statusToggleLabel(change: DashboardState['statusChange'], ended: boolean): string {
  if (change === 'ended') return 'Ending…';
  if (change !== null) return 'Reopening…';
  return ended ? 'Reopen story' : 'End story';
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
