/**
 * The "Story settings" form: the selected story's title, summary and "What we know" key points.
 * Fields are checked here first (the same rules as the API), the server's refusals are shown
 * next to the field they concern, and the form says "saved" only once the story.updated event
 * arrives, i.e. once readers see the change too. Ending and reopening is the header's button.
 */
import { LIMITS } from '../../src/domain/limits.ts';
import type { Story } from '../../src/domain/story.ts';
import { ApiError, type StoryChanges } from './api.ts';
import type { ShowProblem } from './problems.ts';
import type { Connection } from './session.ts';
import { selectedStory, type DashboardState } from './state.ts';
import type { Store } from './store.ts';
import type { SettingsField, SettingsState } from './story-settings-state.ts';

export interface StorySettingsDeps {
  store: Store<DashboardState>;
  connection(): Connection | null;
  showProblem: ShowProblem;
}

type Errors = Partial<Record<SettingsField, string>>;

/** How long "Saving…" waits for the story.updated event before handing the form back. */
const CONFIRM_GIVE_UP_MS = 15_000;

const MESSAGES = {
  titleBlank: 'Give the story a title.',
  keyPointsTooLarge: `Too long: key points may take at most ${LIMITS.keyPointsBytes / 1024} KiB. Shorten or remove some.`,
  keyPointsNotAList: 'Write the key points as a list: one line per point, each starting with “- ”.',
  titleInvalid: `The title cannot be blank and may have at most ${LIMITS.storyTitle} characters.`,
  summaryInvalid: `The summary may have at most ${LIMITS.storySummary} characters.`,
};

/** A list line ("- ", "* ", "+ ", "1. ", "1) ") or an indented continuation of one. */
const LIST_LINE = /^(\s*([-*+]|\d{1,9}[.)])(\s|$)|\s+\S)/;

/** Markdown's rule, roughly: list lines, blank lines, and lines that continue the line before them. */
function isList(markdown: string): boolean {
  const lines = markdown.split('\n');
  return lines.every((line, i) => !line.trim() || LIST_LINE.test(line) || (i > 0 && lines[i - 1]!.trim() !== ''));
}

export function checkSettings(values: Required<Pick<StoryChanges, 'title' | 'summary' | 'keyPoints'>>): Errors {
  const errors: Errors = {};
  if (!values.title.trim()) errors.title = MESSAGES.titleBlank;
  if (new TextEncoder().encode(values.keyPoints).byteLength > LIMITS.keyPointsBytes) {
    errors.keyPoints = MESSAGES.keyPointsTooLarge;
  } else if (!isList(values.keyPoints)) {
    errors.keyPoints = MESSAGES.keyPointsNotAList;
  }
  return errors;
}

/** The server's refusal as an error next to a field, or null when it concerns no field. */
export function fieldErrorOf(error: unknown): Errors | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'KEY_POINTS_TOO_LARGE') return { keyPoints: MESSAGES.keyPointsTooLarge };
  if (error.code !== 'VALIDATION_FAILED') return null;
  if (error.message.includes('keyPoints')) return { keyPoints: MESSAGES.keyPointsNotAList };
  if (error.message.includes('title')) return { title: MESSAGES.titleInvalid };
  if (error.message.includes('summary')) return { summary: MESSAGES.summaryInvalid };
  return null;
}

function changesFrom(
  story: Story,
  form: HTMLFormElement,
): { values: Record<SettingsField, string>; changes: StoryChanges } {
  const data = new FormData(form);
  const values = {
    title: String(data.get('title') ?? '').trim(),
    summary: String(data.get('summary') ?? '').trim(),
    keyPoints: String(data.get('keyPoints') ?? '').trim(),
  };
  const changes: StoryChanges = {};
  for (const field of ['title', 'summary', 'keyPoints'] as const) {
    if (values[field] !== story[field]) changes[field] = values[field];
  }
  return { values, changes };
}

function isApplied(story: Story | undefined, pending: StoryChanges): boolean {
  return Boolean(story) && Object.entries(pending).every(([field, value]) => story![field as keyof Story] === value);
}

export function createStorySettings({ store, connection, showProblem }: StorySettingsDeps) {
  const setSettings = (change: Partial<SettingsState>) =>
    store.set((state) => ({ settings: { ...state.settings, ...change } }));

  document.addEventListener('input', (event) => {
    const field = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-settings-field]') : null;
    if (field) edited(field.dataset.settingsField ?? '');
  });

  // "Saved" once the live story shows every change sent.
  store.subscribe((state) => {
    const { pending } = state.settings;
    if (pending && isApplied(selectedStory(state), pending)) {
      store.set({ settings: { ...state.settings, pending: null, dirty: false }, notice: 'Story settings saved.' });
    }
  });

  async function submit(form: HTMLFormElement): Promise<void> {
    const story = selectedStory(store.get());
    const api = connection()?.api;
    if (!story || !api || store.get().settings.saving) return;
    const { values, changes } = changesFrom(story, form);
    const errors = checkSettings(values);
    if (Object.keys(errors).length > 0) return refuse(form, errors);
    if (Object.keys(changes).length === 0) {
      setSettings({ errors: {}, dirty: false });
      store.set({ notice: 'Nothing to save: the settings are unchanged.' });
      return;
    }
    setSettings({ saving: true, errors: {} });
    try {
      await api.patchStory(story.id, changes);
      // The editor may have moved to another story meanwhile: its form is not this one.
      if (store.get().selectedId !== story.id) return;
      // One change: the story.updated event may have come before this answer, and then the
      // subscriber above says "saved" at once; a later notice would overwrite that.
      store.set((state) => ({
        settings: { ...state.settings, saving: false, pending: changes },
        notice: 'Saving the story settings…',
      }));
      setTimeout(() => giveUpWaiting(story.id, changes), CONFIRM_GIVE_UP_MS);
    } catch (error) {
      if (store.get().selectedId !== story.id) return;
      setSettings({ saving: false });
      const fieldErrors = fieldErrorOf(error);
      if (fieldErrors) refuse(form, fieldErrors);
      else showProblem(error);
    }
  }

  /** An accepted change whose event never showed (trimmed, or overtaken by another editor's). */
  function giveUpWaiting(storyId: string, changes: StoryChanges): void {
    const state = store.get();
    if (state.selectedId !== storyId || state.settings.pending !== changes) return;
    setSettings({ pending: null });
    store.set({ notice: 'The server accepted the settings, but they have not shown up yet. Reload to check.' });
  }

  function refuse(form: HTMLFormElement, errors: Errors): void {
    setSettings({ errors });
    const first = Object.keys(errors)[0];
    form.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }

  /** The editor typed: keep the text, and clear the error of the field being corrected. */
  function edited(field: string): void {
    const { settings } = store.get();
    if (settings.dirty && !(field in settings.errors)) return;
    const errors = { ...settings.errors };
    delete errors[field as SettingsField];
    setSettings({ dirty: true, errors });
  }

  return { submit: (form: HTMLFormElement) => void submit(form), edited };
}
