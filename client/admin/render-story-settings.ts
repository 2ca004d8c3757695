/**
 * Draws the story settings form: its fields filled from the selected story (never over what the
 * editor is typing), each field's error next to it, and the save button's state.
 */
import { byId } from './dom.ts';
import { selectedStory, type DashboardState } from './state.ts';
import type { SettingsField } from './story-settings-state.ts';

const FIELDS: SettingsField[] = ['title', 'summary', 'keyPoints'];

function findSettingsView() {
  const field = (name: SettingsField) => ({
    input: byId(`settings-${name}`, HTMLElement) as HTMLInputElement | HTMLTextAreaElement,
    error: byId(`settings-${name}-error`, HTMLParagraphElement),
  });
  return {
    fields: { title: field('title'), summary: field('summary'), keyPoints: field('keyPoints') },
    save: byId('settings-save', HTMLButtonElement),
  };
}

export function createSettingsRenderer() {
  let view: ReturnType<typeof findSettingsView> | null = null;
  return function renderStorySettings(state: DashboardState, previous: DashboardState | null): void {
    view ??= findSettingsView();
    const story = selectedStory(state);
    const before = previous ? selectedStory(previous) : undefined;
    const refill =
      !state.settings.dirty &&
      (story !== before || state.selectedId !== previous?.selectedId || previous?.settings.dirty);
    if (story && refill) {
      for (const name of FIELDS) view.fields[name].input.value = story[name];
    }
    for (const name of FIELDS) {
      const { input, error } = view.fields[name];
      const message = state.settings.errors[name];
      error.textContent = message ?? '';
      error.hidden = !message;
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
    const busy = state.settings.saving || state.settings.pending !== null;
    view.save.disabled = busy;
    view.save.textContent = busy ? 'Saving…' : 'Save settings';
  };
}
