/**
 * Draws the review panel: for editors and admins the queue of submissions with Approve (as it
 * is, or after editing) and Reject (with a note); for contributors "My submissions" with each
 * one's state, the note of a rejection, and Edit / Withdraw.
 */
import { formatTime, h, setServerHtml } from './dom.ts';
import type { Role, Submission } from './review-api.ts';

/** Which form is open under which submission. */
export interface OpenForm {
  id: string;
  kind: 'approve' | 'reject' | 'edit';
}

export interface ReviewView {
  role: Role;
  submissions: Submission[];
  open: OpenForm | null;
  busy: boolean;
}

const STATE_LABEL = { pending: 'Waiting for review', rejected: 'Sent back', approved: 'Approved' } as const;

function button(label: string, action: string, id: string, extra = ''): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: `button small ${extra}`.trim(), 'data-review': action, 'data-id': id },
    label,
  );
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

function check(id: string, name: string, label: string): HTMLElement {
  return h('label', { class: 'check' }, h('input', { type: 'checkbox', id, name }), ` ${label}`);
}

function textFields(s: Submission): HTMLElement[] {
  const title = h('input', { id: `review-${s.id}-title`, name: 'title', type: 'text', maxlength: 200 });
  title.value = s.title ?? '';
  const body = h('textarea', { id: `review-${s.id}-body`, name: 'body', rows: 5, required: true });
  body.value = s.body;
  return [field(title.id, 'Title (optional)', title), field(body.id, 'Update (Markdown)', body)];
}

function approveForm(s: Submission, busy: boolean): HTMLFormElement {
  return h(
    'form',
    { class: 'review-form stack', 'data-review-form': 'approve', 'data-id': s.id, 'aria-label': 'Edit and approve' },
    ...textFields(s),
    h(
      'fieldset',
      { class: 'options' },
      h('legend', { class: 'visually-hidden' }, 'Publish with'),
      check(`review-${s.id}-pinned`, 'pinned', 'Pin'),
      check(`review-${s.id}-key`, 'keyEvent', 'Key event'),
      check(`review-${s.id}-notify`, 'notify', 'Send alert'),
      check(`review-${s.id}-breaking`, 'breaking', 'Breaking'),
    ),
    h(
      'div',
      { class: 'review-actions' },
      h('button', { type: 'submit', class: 'button primary', disabled: busy }, 'Approve and publish'),
      button('Cancel', 'cancel', s.id),
    ),
  );
}

function noteForm(s: Submission, busy: boolean): HTMLFormElement {
  const id = `review-${s.id}-note`;
  return h(
    'form',
    { class: 'review-form stack', 'data-review-form': 'reject', 'data-id': s.id, 'aria-label': 'Send back' },
    field(id, 'Note to the contributor', h('textarea', { id, name: 'note', rows: 3, maxlength: 1000, required: true })),
    h(
      'div',
      { class: 'review-actions' },
      h('button', { type: 'submit', class: 'button danger', disabled: busy }, 'Send back'),
      button('Cancel', 'cancel', s.id),
    ),
  );
}

function editForm(s: Submission, busy: boolean): HTMLFormElement {
  return h(
    'form',
    { class: 'review-form stack', 'data-review-form': 'edit', 'data-id': s.id, 'aria-label': 'Edit submission' },
    ...textFields(s),
    h(
      'div',
      { class: 'review-actions' },
      h(
        'button',
        { type: 'submit', class: 'button primary', disabled: busy },
        s.state === 'rejected' ? 'Resubmit' : 'Save changes',
      ),
      button('Cancel', 'cancel', s.id),
    ),
  );
}

function actions(s: Submission, role: Role): HTMLElement {
  const label = `Actions for the submission of ${formatTime(s.submittedAt)}`;
  if (role === 'contributor') {
    return h(
      'div',
      { class: 'review-actions', role: 'group', 'aria-label': label },
      button(s.state === 'rejected' ? 'Edit and resubmit' : 'Edit', 'edit', s.id),
      button('Withdraw', 'withdraw', s.id),
    );
  }
  return h(
    'div',
    { class: 'review-actions', role: 'group', 'aria-label': label },
    button('Approve', 'approve', s.id, 'primary'),
    button('Edit and approve', 'open-approve', s.id),
    button('Reject', 'open-reject', s.id, 'danger'),
  );
}

function notes(s: Submission): HTMLElement | null {
  if (s.state === 'rejected' && s.note !== undefined) {
    return h('p', { class: 'review-note' }, h('strong', {}, `Note from ${s.rejectedBy ?? 'the editor'}: `), s.note);
  }
  if (s.lastNote !== undefined) return h('p', { class: 'review-note muted' }, `Resubmitted after: ${s.lastNote}`);
  return null;
}

function openForm(s: Submission, view: ReviewView): HTMLFormElement | null {
  if (view.open?.id !== s.id) return null;
  if (view.open.kind === 'approve') return approveForm(s, view.busy);
  if (view.open.kind === 'reject') return noteForm(s, view.busy);
  return editForm(s, view.busy);
}

export function renderSubmission(s: Submission, view: ReviewView): HTMLLIElement {
  const body = h('div', { class: 'update-body rendered' });
  setServerHtml(body, s.html);
  return h(
    'li',
    { class: 'update review-item', 'data-state': s.state, 'data-id': s.id },
    h(
      'div',
      { class: 'update-head' },
      h('span', { class: `update-state state-${s.state}` }, STATE_LABEL[s.state]),
      h(
        'span',
        { class: 'update-meta' },
        h('time', { datetime: s.submittedAt }, formatTime(s.submittedAt)),
        ` · ${s.submittedBy}`,
      ),
    ),
    s.title ? h('h3', { class: 'update-title' }, s.title) : null,
    body,
    notes(s),
    openForm(s, view) ?? actions(s, view.role),
  );
}
