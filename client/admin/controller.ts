/**
 * What the editor's clicks, keys and forms do. One listener per event type on the document
 * (event delegation): rows of the lists come and go, their `data-action`s stay the same.
 */
import { io } from 'socket.io-client';
import type { Story } from '../../src/domain/story.ts';
import type { ReaderSocket } from '../lib/story-feed.ts';
import { ApiError, checkToken, createApi, type Api, type NewStory } from './api.ts';
import { Composer } from './composer.ts';
import { actionTarget, isSubmitShortcut } from './dom.ts';
import { forgetToken, savedToken, saveToken } from './saved-token.ts';
import type { Store } from './store.ts';
import { EMPTY_STORY_VIEW, INITIAL_STATE, selectedStory, type DashboardState, type Problem } from './state.ts';
import { StorySession } from './story-session.ts';
import { createUpdateActions } from './update-actions.ts';

const STORY_HASH = /^#story=([A-Za-z0-9_-]{1,64})$/;

export function startDashboard(store: Store<DashboardState>): void {
  let api: Api | null = null;
  let socket: ReaderSocket | null = null;
  let session: StorySession | null = null;

  const composer = new Composer({
    api: () => api,
    onStart: () => store.set({ problem: null, notice: '' }),
    onAccepted: (storyId, update) => {
      if (session?.storyId === storyId) session.posted(update);
    },
    onFailed: (error) => showProblem(error),
  });

  function showProblem(error: unknown): void {
    const problem = toProblem(error);
    if (problem.code === 'UNAUTHORIZED' && store.get().session === 'signed-in') {
      signOut({
        code: problem.code,
        message: 'Your editor token is no longer accepted (revoked?). Sign in again; your drafts are kept.',
      });
      return;
    }
    store.set({ problem });
  }

  // ---- Session ----

  async function signIn(token: string): Promise<void> {
    store.set({ session: 'checking', problem: null });
    try {
      await checkToken(token);
    } catch (error) {
      const refused = error instanceof ApiError && error.code === 'UNAUTHORIZED';
      if (refused) forgetToken();
      store.set({
        session: 'signed-out',
        problem: refused
          ? { code: 'UNAUTHORIZED', message: 'This token was not accepted: it is mistyped, unknown or revoked.' }
          : toProblem(error),
      });
      document.getElementById('signin-token')?.focus();
      return;
    }
    saveToken(token);
    const tokenInput = document.getElementById('signin-token');
    if (tokenInput instanceof HTMLInputElement) tokenInput.value = '';
    api = createApi(token);
    socket = io({ transports: ['websocket'] }) as ReaderSocket;
    store.set({ session: 'signed-in', notice: 'Signed in.' });
    await loadStories();
    await selectFromHash();
  }

  function signOut(problem: Problem | null = null): void {
    session?.stop();
    session = null;
    socket?.disconnect();
    socket = null;
    api = null;
    forgetToken();
    composer.show(null);
    store.set({ ...INITIAL_STATE, problem, notice: problem ? '' : 'Signed out. Your drafts stay on this device.' });
  }

  // ---- Stories ----

  async function loadStories(): Promise<void> {
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

  async function createStory(form: HTMLFormElement): Promise<void> {
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

  async function toggleStoryStatus(): Promise<void> {
    const story = selectedStory(store.get());
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

  async function selectFromHash(): Promise<void> {
    const storyId = STORY_HASH.exec(location.hash)?.[1] ?? null;
    if (!api || !socket || storyId === store.get().selectedId) return;
    session?.stop();
    session = null;
    store.set({ ...EMPTY_STORY_VIEW, selectedId: storyId });
    composer.show(storyId);
    if (!storyId) return;
    if (!store.get().stories.some((s) => s.id === storyId)) {
      try {
        const story = await api.getStory(storyId);
        store.set((state) => ({ stories: [...state.stories.filter((s) => s.id !== story.id), story] }));
      } catch (error) {
        store.set({ selectedId: null });
        composer.show(null);
        history.replaceState(null, '', location.pathname);
        showProblem(error);
        return;
      }
    }
    if (store.get().selectedId !== storyId) return;
    session = new StorySession(api, socket, storyId, store, showProblem);
  }

  // ---- Wiring ----

  const updateActions = createUpdateActions(store, () => session, showProblem);
  const actions: Record<string, (id: string) => void> = {
    'sign-out': () => signOut(),
    'dismiss-problem': () => store.set({ problem: null }),
    'refresh-stories': () => void loadStories(),
    'toggle-story-status': () => void toggleStoryStatus(),
    'load-older': () => void session?.loadOlder(),
    ...updateActions.actions,
  };

  document.addEventListener('click', (event) => {
    const target = actionTarget(event, document.body);
    const action = target?.dataset.action;
    // Story links select through the URL hash; their data-action only helps focus survive redraws.
    const handler = action ? actions[action] : undefined;
    if (!target || !handler) return;
    if (action !== 'dismiss-problem') store.set({ problem: null });
    handler(target.dataset.id ?? '');
  });

  document.addEventListener('submit', (event) => {
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    const kind = form?.dataset.form;
    if (!form || kind === 'publish') return; // the composer handles its own form
    event.preventDefault();
    store.set({ problem: null });
    if (kind === 'sign-in') {
      const token = String(new FormData(form).get('token') ?? '').trim();
      if (!token) store.set({ problem: { code: 'VALIDATION_FAILED', message: 'Paste your editor token first.' } });
      else void signIn(token);
    } else if (kind === 'create-story') {
      void createStory(form);
    } else if (kind === 'edit-update') {
      updateActions.saveEdit(form);
    }
  });

  document.addEventListener('keydown', (event) => {
    const form =
      event.target instanceof Element ? event.target.closest<HTMLFormElement>('form[data-form="edit-update"]') : null;
    const confirm = event.target instanceof Element ? event.target.closest<HTMLElement>('.confirm') : null;
    if (form && isSubmitShortcut(event)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === 'Escape' && form?.dataset.id) {
      actions['cancel-edit']?.(form.dataset.id);
    } else if (event.key === 'Escape' && confirm) {
      const id = confirm.querySelector<HTMLElement>('[data-id]')?.dataset.id;
      if (id) actions['cancel-delete']?.(id);
    }
  });

  window.addEventListener('hashchange', () => void selectFromHash());

  const token = savedToken();
  if (token) void signIn(token);
}

function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
