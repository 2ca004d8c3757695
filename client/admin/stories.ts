/**
 * The story list and the selected story: load the list, create a story, end or reopen it, and
 * follow the one named in the URL hash (#story=<id>) with a StorySession.
 */
import type { Story } from '../../src/domain/story.ts';
import type { Api, NewStory, NewUpdate } from './api.ts';
import type { Composer } from './composer.ts';
import type { ShowProblem } from './problems.ts';
import type { Connection } from './session.ts';
import type { Store } from './store.ts';
import { EMPTY_STORY_VIEW, selectedStory, type DashboardState } from './state.ts';
import { StorySession } from './story-session.ts';

const STORY_HASH = /^#story=([A-Za-z0-9_-]{1,64})$/;

export interface StoriesDeps {
  store: Store<DashboardState>;
  composer: Composer;
  connection(): Connection | null;
  showProblem: ShowProblem;
}

export type Stories = ReturnType<typeof createStories>;

export function createStories(deps: StoriesDeps) {
  const { store, composer, connection, showProblem } = deps;
  let session: StorySession | null = null;

  function stopFollowing(): void {
    session?.stop();
    session = null;
  }

  async function load(): Promise<void> {
    const api = connection()?.api;
    if (!api) return;
    store.set({ storiesLoading: true });
    try {
      const { stories } = await api.listStories();
      // The selected story may be older than the first page; keep it listed.
      const selected = selectedStory(store.get());
      store.set({ stories: selected && !stories.some((s) => s.id === selected.id) ? [...stories, selected] : stories });
    } catch (error) {
      showProblem(error);
    } finally {
      store.set({ storiesLoading: false });
    }
  }

  async function selectFromHash(): Promise<void> {
    const storyId = STORY_HASH.exec(location.hash)?.[1] ?? null;
    const current = connection();
    if (!current || storyId === store.get().selectedId) return;
    stopFollowing();
    store.set({ ...EMPTY_STORY_VIEW, selectedId: storyId });
    composer.show(storyId);
    if (!storyId || !(await ensureListed(deps, current.api, storyId))) return;
    if (store.get().selectedId !== storyId) return;
    session = new StorySession(current.api, current.socket, storyId, store, showProblem);
  }

  return {
    load,
    selectFromHash,
    stopFollowing,
    create: (form: HTMLFormElement) => void createStory(deps, form),
    toggleStatus: () => void toggleStoryStatus(deps),
    following: () => session,
    posted(storyId: string, update: NewUpdate): void {
      if (session?.storyId === storyId) session.posted(update);
    },
  };
}

/** A story opened by its URL may not be in the list yet: fetch it, or give up the selection. */
async function ensureListed({ store, composer, showProblem }: StoriesDeps, api: Api, storyId: string) {
  if (store.get().stories.some((s) => s.id === storyId)) return true;
  try {
    const story = await api.getStory(storyId);
    store.set((state) => ({ stories: [...state.stories.filter((s) => s.id !== story.id), story] }));
    return true;
  } catch (error) {
    store.set({ selectedId: null });
    composer.show(null);
    history.replaceState(null, '', location.pathname);
    showProblem(error);
    return false;
  }
}

async function createStory({ store, composer, connection, showProblem }: StoriesDeps, form: HTMLFormElement) {
  const api = connection()?.api;
  if (!api) return;
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const fields: NewStory = { title: text('title') };
  if (text('summary')) fields.summary = text('summary');
  if (text('slug')) fields.slug = text('slug');
  try {
    const story = await api.createStory(fields);
    store.set((state) => ({
      stories: [story, ...state.stories.filter((s) => s.id !== story.id)],
      notice: `Story “${story.title}” created.`,
    }));
    form.reset();
    form.closest('details')?.removeAttribute('open');
    location.hash = `story=${story.id}`;
    composer.focus();
  } catch (error) {
    showProblem(error);
  }
}

async function toggleStoryStatus({ store, connection, showProblem }: StoriesDeps): Promise<void> {
  const story = selectedStory(store.get());
  const api = connection()?.api;
  if (!api || !story) return;
  const status: Story['status'] = story.status === 'ended' ? 'live' : 'ended';
  store.set({ statusChange: status });
  try {
    await api.setStoryStatus(story.id, status);
    // The header changes when the story.updated event arrives, i.e. when readers see it too.
  } catch (error) {
    store.set({ statusChange: null });
    showProblem(error);
  }
}
