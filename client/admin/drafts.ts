/**
 * Composer drafts, one per story, in localStorage: whatever an editor typed survives a reload, a
 * crash, a failed publish and signing out, and is removed only once the server accepted it.
 */
export interface Draft {
  title: string;
  body: string;
  pinned: boolean;
  keyEvent: boolean;
  notify: boolean;
  breaking: boolean;
  /**
   * The update id of a publish whose outcome is unknown (no answer, or a server fault). Reusing
   * it makes the retry name the same update, so the server cannot post it twice.
   */
  pendingId: string | null;
}

export const EMPTY_DRAFT: Draft = {
  title: '',
  body: '',
  pinned: false,
  keyEvent: false,
  notify: false,
  breaking: false,
  pendingId: null,
};

const keyFor = (storyId: string) => `stoppress.draft.${storyId}`;

export function loadDraft(storyId: string): Draft {
  try {
    const raw = localStorage.getItem(keyFor(storyId));
    if (!raw) return { ...EMPTY_DRAFT };
    const stored = JSON.parse(raw) as Partial<Draft>;
    return {
      title: typeof stored.title === 'string' ? stored.title : '',
      body: typeof stored.body === 'string' ? stored.body : '',
      pinned: stored.pinned === true,
      keyEvent: stored.keyEvent === true,
      notify: stored.notify === true,
      breaking: stored.breaking === true,
      pendingId: typeof stored.pendingId === 'string' ? stored.pendingId : null,
    };
  } catch {
    return { ...EMPTY_DRAFT };
  }
}

export function isEmptyDraft(draft: Draft): boolean {
  return (
    !draft.title &&
    !draft.body &&
    !draft.pinned &&
    !draft.keyEvent &&
    !draft.notify &&
    !draft.breaking &&
    !draft.pendingId
  );
}

/** False when the browser refused to store it (quota, private mode), so the UI can say so. */
export function saveDraft(storyId: string, draft: Draft): boolean {
  try {
    if (isEmptyDraft(draft)) localStorage.removeItem(keyFor(storyId));
    else localStorage.setItem(keyFor(storyId), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(storyId: string): void {
  try {
    localStorage.removeItem(keyFor(storyId));
  } catch {
    // Nothing stored, nothing to clear.
  }
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A fresh update id matching the API's `^[A-Za-z0-9_-]{1,64}$`. */
export function newUpdateId(): string {
  // randomUUID exists only in secure contexts; a dashboard opened over plain http on a newsroom
  // LAN still has getRandomValues.
  if (typeof crypto.randomUUID === 'function') return `u-${crypto.randomUUID()}`;
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return `u-${Array.from(bytes, (b) => ID_ALPHABET[b & 63]).join('')}`;
}
