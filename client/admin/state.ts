/** Everything the dashboard shows, in one object; the render functions draw it, nothing else does. */
import type { Story } from '../../src/domain/story.ts';
import type { Update } from '../../src/domain/update.ts';
import type { FeedStatus } from '../lib/story-feed.ts';
import type { DeliveryStats } from './api.ts';
import type { EditorAccount } from './editors-api.ts';

export interface Problem {
  code: string;
  message: string;
}

/** An update this dashboard posted, followed from the 202 to its event and its alert counts. */
export interface PostedUpdate {
  phase: 'queued' | 'published';
  /** Posted with "Send alert" or "Breaking". */
  alert: boolean;
  breaking: boolean;
  delivery: DeliveryStats | null;
  /** What was sent, shown while queued (the rendered HTML only comes with the event). */
  title: string | null;
  body: string;
  postedAt: string;
}

/** A change sent to the server that readers do not see yet. */
export interface PendingChange {
  label: string;
  /** True once the live state reflects the change. */
  isDone: (update: Update | undefined) => boolean;
  startedAt: number;
}

export interface UpdateUi {
  /** The inline editor's text; kept after a failed save so nothing typed is lost. */
  editing: { title: string; body: string } | null;
  confirmingDelete: boolean;
  pending: PendingChange | null;
}

export type SessionState = 'signed-out' | 'checking' | 'signed-in';

export interface DashboardState {
  session: SessionState;
  /** Who is signed in, with their role; null when signed out. */
  me: EditorAccount | null;
  stories: Story[];
  storiesLoading: boolean;
  selectedId: string | null;
  /** The selected story's updates, newest first, as the live feed has them. */
  updates: Update[];
  updatesLoading: boolean;
  olderCursor: string | null;
  posted: Readonly<Record<string, PostedUpdate>>;
  ui: Readonly<Record<string, UpdateUi>>;
  feed: FeedStatus | 'idle';
  /** Readers on the story now, not counting this dashboard; null until known. */
  readers: number | null;
  /** The status asked for by End/Reopen, until the story.updated event confirms it. */
  statusChange: Story['status'] | null;
  problem: Problem | null;
  notice: string;
}

/** The state of a freshly selected story (nothing carried over from the previous one). */
export const EMPTY_STORY_VIEW = {
  updates: [],
  updatesLoading: true,
  olderCursor: null,
  posted: {},
  ui: {},
  feed: 'idle',
  readers: null,
  statusChange: null,
} satisfies Partial<DashboardState>;

export const INITIAL_STATE: DashboardState = {
  ...EMPTY_STORY_VIEW,
  session: 'signed-out',
  me: null,
  stories: [],
  storiesLoading: false,
  selectedId: null,
  // Nothing is selected yet, so nothing is loading.
  updatesLoading: false,
  problem: null,
  notice: '',
};

export const NO_UPDATE_UI: UpdateUi = { editing: null, confirmingDelete: false, pending: null };

export function selectedStory(state: DashboardState): Story | undefined {
  return state.stories.find((story) => story.id === state.selectedId);
}

/** Replaces one key of a record without mutating it; `undefined` removes the key. */
export function withEntry<V>(
  record: Readonly<Record<string, V>>,
  key: string,
  value: V | undefined,
): Record<string, V> {
  const next = { ...record };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
