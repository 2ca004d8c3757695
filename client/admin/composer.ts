/**
 * The composer for the selected story. Its fields are the draft: every change is saved to
 * localStorage at once, the preview is rendered by the server's own Markdown renderer, and a
 * publish sends a client-chosen update id that survives a failed attempt, so retrying after a
 * lost answer cannot post the update twice.
 */
import { ApiError, type Api, type NewUpdate } from './api.ts';
import { bylineNames } from './composer-authors.ts';
import { byId, isSubmitShortcut, setServerHtml } from './dom.ts';
import { clearDraft, EMPTY_DRAFT, loadDraft, newUpdateId, saveDraft, type Draft } from './drafts.ts';
import { photoWithoutAlt } from './photo-upload.ts';
import { ScheduleOption } from './schedule-option.ts';

export interface ComposerCallbacks {
  api(): Api | null;
  /** A publish is starting: earlier messages no longer apply. */
  onStart(): void;
  onAccepted(storyId: string, sent: NewUpdate): void;
  onFailed(error: ApiError): void;
}

const PREVIEW_DELAY_MS = 300;
const BODY_LIMIT_BYTES = 64 * 1024;
const utf8 = new TextEncoder();

export class Composer {
  private readonly form = byId('composer', HTMLFormElement);
  private readonly title = byId('composer-title', HTMLInputElement);
  private readonly body = byId('composer-body', HTMLTextAreaElement);
  private readonly pinned = byId('composer-pinned', HTMLInputElement);
  private readonly keyEvent = byId('composer-key-event', HTMLInputElement);
  private readonly notify = byId('composer-notify', HTMLInputElement);
  private readonly breaking = byId('composer-breaking', HTMLInputElement);
  private readonly publishButton = byId('composer-publish', HTMLButtonElement);
  private readonly preview = byId('composer-preview', HTMLDivElement);
  private readonly draftStatus = byId('composer-draft-status', HTMLSpanElement);
  private readonly size = byId('composer-size', HTMLSpanElement);
  private readonly schedule = new ScheduleOption(() => this.setBusy(this.busy));

  private storyId: string | null = null;
  /** Only kept for the in-flight publish: a retry must reuse it. */
  private pendingId: string | null = null;
  private busy = false;
  /** A contributor's update waits for review: no editor-only flags, and the button says so. */
  private contributor = false;
  private previewTimer: ReturnType<typeof setTimeout> | undefined;
  private previewRequest = 0;

  constructor(private readonly callbacks: ComposerCallbacks) {
    this.form.addEventListener('input', this.onEdit);
    this.form.addEventListener('change', this.onEdit);
    this.form.addEventListener('keydown', (event) => {
      if (!isSubmitShortcut(event)) return;
      event.preventDefault();
      this.form.requestSubmit();
    });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.publish();
    });
  }

  /** Shows the draft of another story (or none); the previous story's draft is already saved. */
  show(storyId: string | null): void {
    if (storyId === this.storyId) return;
    this.storyId = storyId;
    this.fill(storyId ? loadDraft(storyId) : EMPTY_DRAFT);
  }

  focus(): void {
    this.body.focus();
  }

  setContributor(contributor: boolean): void {
    this.contributor = contributor;
    this.setBusy(this.busy);
  }

  private readonly onEdit = (event: Event): void => {
    if (!this.storyId) return;
    // "Breaking" alerts the story's subscribers too, so it implies "Send alert".
    if (event.target === this.breaking && this.breaking.checked) this.notify.checked = true;
    if (event.target === this.notify && !this.notify.checked) this.breaking.checked = false;
    this.save();
    if (event.target === this.body) this.schedulePreview();
    this.showSize();
  };

  private read(): Draft {
    return {
      title: this.title.value,
      body: this.body.value,
      pinned: this.pinned.checked,
      keyEvent: this.keyEvent.checked,
      notify: this.notify.checked,
      breaking: this.breaking.checked,
      pendingId: this.pendingId,
    };
  }

  private fill(draft: Draft): void {
    this.title.value = draft.title;
    this.body.value = draft.body;
    this.pinned.checked = draft.pinned;
    this.keyEvent.checked = draft.keyEvent;
    this.notify.checked = draft.notify;
    this.breaking.checked = draft.breaking;
    this.pendingId = draft.pendingId;
    this.draftStatus.textContent = draft.body || draft.title ? 'Draft restored' : '';
    this.showSize();
    clearTimeout(this.previewTimer);
    void this.renderPreview();
  }

  private save(): void {
    if (!this.storyId) return;
    const draft = this.read();
    const saved = saveDraft(this.storyId, draft);
    this.draftStatus.textContent =
      !draft.body && !draft.title
        ? ''
        : saved
          ? 'Draft saved on this device'
          : 'Draft NOT saved: browser storage is full or blocked';
    this.draftStatus.classList.toggle('is-warning', !saved);
  }

  private showSize(): void {
    const bytes = utf8.encode(this.body.value).length;
    const over = bytes > BODY_LIMIT_BYTES;
    const shown = bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
    this.size.textContent = bytes === 0 ? '' : `${shown} of 64 KB${over ? ' (too long to publish)' : ''}`;
    this.size.classList.toggle('is-warning', over);
  }

  private schedulePreview(): void {
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => void this.renderPreview(), PREVIEW_DELAY_MS);
  }

  private async renderPreview(): Promise<void> {
    const request = ++this.previewRequest;
    const api = this.callbacks.api();
    const text = this.body.value;
    if (!api || !text.trim()) {
      this.preview.replaceChildren(placeholder('The preview of your update appears here.'));
      return;
    }
    this.preview.setAttribute('aria-busy', 'true');
    try {
      const { html } = await api.preview(text);
      if (request === this.previewRequest) setServerHtml(this.preview, html);
    } catch (error) {
      if (request !== this.previewRequest) return;
      const problem = error instanceof ApiError ? error : new ApiError('INTERNAL', String(error), null);
      this.preview.replaceChildren(placeholder(`Preview unavailable: ${problem.message} (${problem.code})`, true));
      if (problem.code === 'UNAUTHORIZED') this.callbacks.onFailed(problem);
    } finally {
      if (request === this.previewRequest) this.preview.removeAttribute('aria-busy');
    }
  }

  private async publish(): Promise<void> {
    const storyId = this.storyId;
    const api = this.callbacks.api();
    if (!storyId || !api || this.busy) return;
    const draft = this.read();
    if (!draft.body.trim()) {
      this.body.focus();
      return this.callbacks.onFailed(
        new ApiError('VALIDATION_FAILED', 'Write the text of the update before publishing.', null),
      );
    }
    if (photoWithoutAlt(draft.body)) {
      this.body.focus();
      return this.callbacks.onFailed(
        new ApiError(
          'VALIDATION_FAILED',
          'Every photo needs alt text: write it between the brackets of ![…](/media/…).',
          null,
        ),
      );
    }
    let publishAt: string | undefined;
    try {
      // A contributor's update waits for review, not for a time: the option is hidden for them.
      publishAt = this.contributor ? undefined : this.schedule.publishAt();
    } catch (error) {
      return this.callbacks.onFailed(error as ApiError);
    }
    const update: NewUpdate = {
      id: draft.pendingId ?? newUpdateId(),
      title: draft.title.trim() || null,
      body: draft.body,
      pinned: draft.pinned,
      keyEvent: draft.keyEvent,
      notify: draft.notify || draft.breaking,
      breaking: draft.breaking,
      ...bylineNames(),
      ...(publishAt !== undefined && { publishAt }),
    };
    if (this.contributor) Object.assign(update, { pinned: false, keyEvent: false, notify: false, breaking: false });
    // Stored before sending: if the tab dies mid-request, the retry after reload reuses the id.
    this.pendingId = update.id;
    this.save();
    this.callbacks.onStart();
    this.setBusy(true);
    try {
      await api.postUpdate(storyId, update);
      clearDraft(storyId);
      if (this.storyId === storyId) this.fill(EMPTY_DRAFT);
      this.schedule.reset();
      this.callbacks.onAccepted(storyId, update);
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError('INTERNAL', String(error), null);
      // A refusal (4xx) created nothing: the next attempt is a new update. With no answer or a
      // server fault it may exist, and the same id makes the retry name it again.
      if (!problem.outcomeUnknown) this.forgetPendingId(storyId);
      this.callbacks.onFailed(problem);
    } finally {
      this.setBusy(false);
      if (this.storyId === storyId) this.body.focus();
    }
  }

  private forgetPendingId(storyId: string): void {
    if (this.storyId === storyId) {
      this.pendingId = null;
      this.save();
    } else {
      saveDraft(storyId, { ...loadDraft(storyId), pendingId: null });
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.form.setAttribute('aria-busy', String(busy));
    // Read-only rather than disabled: the text stays selectable and focus stays where it was.
    this.title.readOnly = busy;
    this.body.readOnly = busy;
    const [idle, working] = this.contributor
      ? ['Submit for review', 'Submitting…']
      : [this.schedule.label, this.schedule.label === 'Schedule' ? 'Scheduling…' : 'Publishing…'];
    this.publishButton.textContent = busy ? working : idle;
  }
}

function placeholder(text: string, warning = false): HTMLElement {
  const p = document.createElement('p');
  p.className = warning ? 'placeholder is-warning' : 'placeholder';
  p.textContent = text;
  return p;
}
