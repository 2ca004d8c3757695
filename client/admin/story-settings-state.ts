/** The story settings form's part of the dashboard state (story-settings.ts changes it). */
import type { StoryChanges } from './api.ts';

export type SettingsField = 'title' | 'summary' | 'keyPoints';

export interface SettingsState {
  /** A request is on its way. */
  saving: boolean;
  /** Changes the server accepted, until the story.updated event shows them (readers see them then). */
  pending: StoryChanges | null;
  /** What is wrong with each field, shown next to it. */
  errors: Readonly<Partial<Record<SettingsField, string>>>;
  /** The editor typed in the form since it was last filled from the story: never overwrite that. */
  dirty: boolean;
}

export const NO_SETTINGS: SettingsState = { saving: false, pending: null, errors: {}, dirty: false };
