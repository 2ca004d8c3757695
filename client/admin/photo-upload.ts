/**
 * Photos in the composer: the "Add photo" picker, and a photo dropped or pasted into the update's
 * text. Each one is first shown in a dialog that asks for its alt text (required), caption and
 * credit; then it is uploaded and `![alt](url)` goes into the text where the cursor was, so the
 * preview shows the figure readers will see. The composer refuses to publish a photo whose alt
 * text was deleted afterwards (photoWithoutAlt).
 */
import { ApiError, type Api } from './api.ts';
import { byId } from './dom.ts';

export interface PhotoUploaderOptions {
  api(): Api | null;
  /** A problem outside the dialog's own (the session ended). */
  onFailed(error: ApiError): void;
}

const NO_ALT = /!\[\s*\]\(\s*\/media\//;
const ALT_REQUIRED = 'Write the alt text first: what the photo shows, for readers who cannot see it.';

/** Whether the Markdown names one of our photos with empty alt text. */
export function photoWithoutAlt(markdown: string): boolean {
  return NO_ALT.test(markdown);
}

/** Alt text as Markdown image text: one line, brackets and backslashes escaped. */
function markdownAlt(alt: string): string {
  return alt.replace(/\s+/g, ' ').replace(/[\\[\]]/g, (c) => `\\${c}`);
}

function firstFile(files: FileList | null | undefined): File | null {
  return files && files.length > 0 ? files[0]! : null;
}

export class PhotoUploader {
  private readonly body = byId('composer-body', HTMLTextAreaElement);
  private readonly input = byId('composer-photo-file', HTMLInputElement);
  private readonly status = byId('composer-photo-status', HTMLSpanElement);
  private readonly dialog = byId('photo-dialog', HTMLDialogElement);
  private readonly form = byId('photo-form', HTMLFormElement);
  private readonly preview = byId('photo-preview', HTMLImageElement);
  private readonly alt = byId('photo-alt', HTMLTextAreaElement);
  private readonly caption = byId('photo-caption', HTMLInputElement);
  private readonly credit = byId('photo-credit', HTMLInputElement);
  private readonly error = byId('photo-error', HTMLParagraphElement);
  private readonly submit = byId('photo-insert', HTMLButtonElement);
  private file: File | null = null;
  /** Where the text's caret was when the photo came: it goes in there. */
  private cursor = 0;
  /** The caret when the text last lost focus (to the "Add photo" button, say); null: the end. */
  private caretAtBlur: number | null = null;

  constructor(private readonly options: PhotoUploaderOptions) {
    byId('composer-photo-button', HTMLButtonElement).addEventListener('click', () => this.input.click());
    byId('photo-cancel', HTMLButtonElement).addEventListener('click', () => this.dialog.close());
    this.input.addEventListener('change', () => {
      const file = firstFile(this.input.files);
      this.input.value = '';
      if (file) this.open(file);
    });
    this.listenForDropAndPaste();
    this.body.addEventListener('blur', () => (this.caretAtBlur = this.body.selectionStart));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.upload();
    });
    this.dialog.addEventListener('close', () => {
      this.file = null;
      this.preview.removeAttribute('src');
      // A modal dialog makes the text inert, which loses its caret: put it back.
      this.body.focus();
      this.body.setSelectionRange(this.cursor, this.cursor);
    });
  }

  private listenForDropAndPaste(): void {
    const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
    this.body.addEventListener('dragover', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      this.body.classList.add('is-drop-target');
    });
    this.body.addEventListener('dragleave', () => this.body.classList.remove('is-drop-target'));
    this.body.addEventListener('drop', (event) => {
      this.body.classList.remove('is-drop-target');
      const file = firstFile(event.dataTransfer?.files);
      if (!file) return;
      event.preventDefault();
      this.open(file);
    });
    this.body.addEventListener('paste', (event) => {
      const file = firstFile(event.clipboardData?.files);
      if (!file) return;
      event.preventDefault();
      this.open(file);
    });
  }

  private open(file: File): void {
    this.file = file;
    const focused = document.activeElement === this.body;
    this.cursor = (focused ? this.body.selectionStart : this.caretAtBlur) ?? this.body.value.length;
    for (const field of [this.alt, this.caption, this.credit]) field.value = '';
    this.showError('');
    // A data: URL, which the dashboard's Content-Security-Policy allows for images (blob: it does not).
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      if (this.file === file && typeof reader.result === 'string') this.preview.src = reader.result;
    });
    reader.readAsDataURL(file);
    this.dialog.showModal();
    this.alt.focus();
  }

  private async upload(): Promise<void> {
    const api = this.options.api();
    const file = this.file;
    const alt = this.alt.value.trim();
    if (!alt) {
      this.showError(ALT_REQUIRED);
      this.alt.focus();
      return;
    }
    if (!api || !file) return;
    this.setBusy(true);
    try {
      const photo = await api.uploadPhoto(file, {
        alt,
        caption: this.caption.value.trim(),
        credit: this.credit.value.trim(),
      });
      this.insert(`![${markdownAlt(alt)}](${photo.url})`);
      this.dialog.close();
      this.status.textContent = `Photo added (${photo.width} × ${photo.height}).`;
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError('INTERNAL', String(error), null);
      this.showError(`${problem.message} (${problem.code})`);
      if (problem.code === 'UNAUTHORIZED') this.options.onFailed(problem);
    } finally {
      this.setBusy(false);
    }
  }

  /** The photo's Markdown on a paragraph of its own (so it renders as a figure), at the cursor. */
  private insert(markdown: string): void {
    const text = this.body.value;
    const at = Math.min(this.cursor, text.length);
    const before = text.slice(0, at).replace(/\s+$/, '');
    const after = text.slice(at).replace(/^\s+/, '');
    const inserted = `${before ? '\n\n' : ''}${markdown}${after ? '\n\n' : ''}`;
    this.body.value = `${before}${inserted}${after}`;
    this.cursor = before.length + inserted.length;
    // As if typed: the composer saves the draft and refreshes the preview.
    this.body.dispatchEvent(new Event('input', { bubbles: true }));
  }

  private showError(message: string): void {
    this.error.textContent = message;
    this.error.hidden = !message;
    this.alt.setAttribute('aria-invalid', String(message === ALT_REQUIRED));
  }

  private setBusy(busy: boolean): void {
    this.submit.disabled = busy;
    this.submit.textContent = busy ? 'Uploading…' : 'Upload and insert';
    this.form.setAttribute('aria-busy', String(busy));
  }
}
