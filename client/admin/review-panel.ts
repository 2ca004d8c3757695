/**
 * The review panel under the composer. Editors and admins see the selected story's queue with a
 * count; contributors see their own submissions ("My submissions"). Submissions are private, so
 * no story event announces them: the panel asks again every few seconds while a story is open.
 */
import type { ApproveBody } from '../../src/domain/submission.ts';
import { byId } from './dom.ts';
import type { ShowProblem } from './problems.ts';
import type { ReviewApi, Role, Submission } from './review-api.ts';
import { renderSubmission, type OpenForm } from './review-render.ts';

const POLL_MS = 4_000;

export class ReviewPanel {
  private readonly section = byId('review', HTMLElement);
  private readonly heading = byId('review-title', HTMLSpanElement);
  private readonly count = byId('review-count', HTMLSpanElement);
  private readonly list = byId('review-list', HTMLOListElement);
  private readonly empty = byId('review-empty', HTMLParagraphElement);

  private api: ReviewApi | null = null;
  private role: Role | null = null;
  private storyId: string | null = null;
  private submissions: Submission[] = [];
  private open: OpenForm | null = null;
  private busy = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly showProblem: ShowProblem) {
    this.section.addEventListener('click', this.onClick);
    this.section.addEventListener('submit', this.onSubmit);
  }

  signedIn(api: ReviewApi, role: Role): void {
    this.api = api;
    this.role = role;
    this.heading.textContent = role === 'contributor' ? 'My submissions' : 'Review queue';
  }

  isContributor(): boolean {
    return this.role === 'contributor';
  }

  /** Follows another story (or none). */
  show(storyId: string | null): void {
    if (storyId === this.storyId) return;
    clearInterval(this.timer);
    this.storyId = storyId;
    this.submissions = [];
    this.open = null;
    this.section.hidden = !storyId || !this.api;
    this.draw();
    if (!storyId || !this.api) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  stop(): void {
    this.show(null);
    this.api = null;
    this.role = null;
  }

  /** A contributor's post was accepted: it is in the list now. */
  submitted(): void {
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    const { api, storyId } = this;
    if (!api || !storyId) return;
    try {
      const lists = await Promise.all(
        this.isContributor()
          ? [api.list(storyId, 'rejected'), api.list(storyId, 'pending')]
          : [api.list(storyId, 'pending')],
      );
      if (storyId !== this.storyId) return;
      this.submissions = lists.flat();
      // A form being filled in is not redrawn under the editor's hands; the count still moves.
      if (this.open && this.submissions.some((s) => s.id === this.open?.id)) this.drawCount();
      else this.draw();
    } catch (error) {
      this.showProblem(error);
    }
  }

  private drawCount(): void {
    this.count.textContent = String(this.submissions.length);
    this.count.setAttribute('aria-label', `${this.submissions.length} waiting`);
  }

  private draw(): void {
    if (this.open && !this.submissions.some((s) => s.id === this.open?.id)) this.open = null;
    this.drawCount();
    this.empty.hidden = this.submissions.length > 0;
    const view = { role: this.role ?? 'editor', submissions: this.submissions, open: this.open, busy: this.busy };
    this.list.replaceChildren(...this.submissions.map((s) => renderSubmission(s, view)));
    if (this.open) this.list.querySelector<HTMLElement>('.review-form textarea, .review-form input')?.focus();
  }

  private readonly onClick = (event: MouseEvent): void => {
    const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-review]') : null;
    const id = target?.dataset.id;
    if (!target || !id) return;
    const action = target.dataset.review;
    if (action === 'approve') void this.act(() => this.api!.approve(this.storyId!, id, {}));
    else if (action === 'withdraw') void this.act(() => this.api!.withdraw(this.storyId!, id));
    else if (action === 'refresh') void this.refresh();
    else this.setOpen(formFor(action, id));
  };

  private readonly onSubmit = (event: SubmitEvent): void => {
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    const id = form?.dataset.id;
    if (!form || !id) return;
    event.preventDefault();
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '');
    const kind = form.dataset.reviewForm;
    if (kind === 'reject') void this.act(() => this.api!.reject(this.storyId!, id, text('note').trim()));
    if (kind === 'approve') void this.act(() => this.api!.approve(this.storyId!, id, approveEdits(data)));
    if (kind === 'edit') {
      const fields = { title: text('title').trim() || null, body: text('body') };
      void this.act(() => this.api!.resubmit(this.storyId!, id, fields));
    }
  };

  private setOpen(open: OpenForm | null): void {
    this.open = open;
    this.draw();
  }

  private async act(call: () => Promise<unknown>): Promise<void> {
    if (this.busy || !this.api || !this.storyId) return;
    this.busy = true;
    try {
      await call();
      this.open = null;
    } catch (error) {
      this.showProblem(error);
    } finally {
      this.busy = false;
    }
    await this.refresh();
  }
}

function formFor(action: string | undefined, id: string): OpenForm | null {
  if (action === 'open-approve') return { id, kind: 'approve' };
  if (action === 'open-reject') return { id, kind: 'reject' };
  if (action === 'edit') return { id, kind: 'edit' };
  return null;
}

function approveEdits(data: FormData): ApproveBody {
  const breaking = data.get('breaking') === 'on';
  return {
    title: String(data.get('title') ?? '').trim() || null,
    body: String(data.get('body') ?? ''),
    pinned: data.get('pinned') === 'on',
    keyEvent: data.get('keyEvent') === 'on',
    notify: data.get('notify') === 'on' || breaking,
    breaking,
  };
}
