/** One row of the editor's update list: the update as readers see it, its state, and its actions. */
import type { Update } from '../../src/domain/update.ts';
import { bylinesOf, bylineText } from '../../src/shared/byline-html.ts';
import type { DeliveryStats } from './api.ts';
import { formatTime, h, setServerHtml } from './dom.ts';
import type { UpdateItem, UpdatePhase } from './update-items.ts';

const PHASE_LABEL: Record<UpdatePhase, string> = { queued: 'Queued', published: 'Published', alerted: 'Alerted' };
const PHASE_HINT: Record<UpdatePhase, string> = {
  queued: 'Accepted by the server, waiting for the worker to publish it',
  published: 'Live for readers',
  alerted: 'Live for readers, and sent as a push alert',
};

export function renderUpdateRow(item: UpdateItem): HTMLLIElement {
  const row = h('li', {
    class: 'update',
    id: `update-${item.id}`,
    'data-state': item.phase,
    tabindex: -1,
    'aria-labelledby': `update-${item.id}-when`,
  });
  if (item.ui.editing && item.update) row.append(editForm(item.update, item.ui.editing));
  else row.append(...summary(item), actions(item));
  return row;
}

function summary(item: UpdateItem): Node[] {
  const update = item.update;
  const title = update ? update.title : item.queued?.title;
  const when = update?.createdAt ?? item.queued?.postedAt ?? '';
  const head = h(
    'div',
    { class: 'update-head' },
    h('span', { class: `update-state state-${item.phase}`, title: PHASE_HINT[item.phase] }, PHASE_LABEL[item.phase]),
    update?.pinned && h('span', { class: 'tag tag-pinned' }, 'Pinned'),
    update?.keyEvent && h('span', { class: 'tag tag-key' }, 'Key event'),
    item.alert?.breaking && h('span', { class: 'tag tag-breaking' }, 'Breaking'),
    h(
      'span',
      { class: 'update-meta', id: `update-${item.id}-when` },
      h('time', { datetime: when }, when ? formatTime(when) : ''),
      update ? ` · ${bylineText(bylinesOf(update))}` : '',
      update && update.version > 1 ? ` · edited (v${update.version})` : '',
    ),
    item.pendingLabel && h('span', { class: 'pending', role: 'status' }, item.pendingLabel),
  );
  const body = h('div', { class: 'update-body rendered' });
  if (update) setServerHtml(body, update.html);
  else body.append(h('p', { class: 'plain' }, item.queued?.body ?? ''));
  return [
    head,
    title ? h('h3', { class: 'update-title' }, title) : null,
    body,
    item.alert && deliveryLine(item.alert.delivery),
  ].filter((node): node is HTMLElement => node !== null);
}

function deliveryLine(delivery: DeliveryStats | null): HTMLElement {
  if (!delivery) return h('p', { class: 'delivery' }, 'Alert: sending…');
  const counts = `${delivery.targeted} targeted · ${delivery.sent} sent · ${delivery.failed} failed · ${delivery.pruned} pruned · ${delivery.pending} pending`;
  return h('p', { class: 'delivery', 'data-pending': delivery.pending }, h('strong', {}, 'Alert: '), counts);
}

function actions(item: UpdateItem): HTMLElement {
  const update = item.update;
  // A queued update has nothing to act on yet; its event arrives within moments.
  if (!update) return h('div', { class: 'update-actions', hidden: true });
  const id = update.id;
  if (item.ui.confirmingDelete) {
    return h(
      'div',
      { class: 'update-actions confirm', role: 'group', 'aria-label': 'Confirm deletion' },
      h('span', { class: 'confirm-text' }, 'Delete this update for every reader?'),
      h(
        'button',
        { type: 'button', class: 'button danger', 'data-action': 'confirm-delete', 'data-id': id },
        'Yes, delete',
      ),
      h('button', { type: 'button', class: 'button', 'data-action': 'cancel-delete', 'data-id': id }, 'Cancel'),
    );
  }
  return h(
    'div',
    {
      class: 'update-actions',
      role: 'group',
      'aria-label': `Actions for the update of ${formatTime(update.createdAt)}`,
    },
    h('button', { type: 'button', class: 'button small', 'data-action': 'edit-update', 'data-id': id }, 'Edit'),
    h(
      'button',
      {
        type: 'button',
        class: 'button small',
        'data-action': 'toggle-pin',
        'data-id': id,
        'aria-pressed': update.pinned,
      },
      'Pin',
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'button small',
        'data-action': 'toggle-key-event',
        'data-id': id,
        'aria-pressed': update.keyEvent,
      },
      'Key event',
    ),
    h(
      'button',
      { type: 'button', class: 'button small danger-quiet', 'data-action': 'ask-delete', 'data-id': id },
      'Delete',
    ),
  );
}

function editForm(update: Update, draft: { title: string; body: string }): HTMLFormElement {
  const id = update.id;
  return h(
    'form',
    { class: 'edit-form', 'data-form': 'edit-update', 'data-id': id, 'aria-label': 'Edit update' },
    h('label', { for: `edit-title-${id}` }, 'Title ', h('span', { class: 'optional' }, '(optional)')),
    inputWithValue(
      h('input', { id: `edit-title-${id}`, name: 'title', type: 'text', maxlength: 200, autocomplete: 'off' }),
      draft.title,
    ),
    h('label', { for: `edit-body-${id}` }, 'Text (Markdown)'),
    inputWithValue(h('textarea', { id: `edit-body-${id}`, name: 'body', rows: 5, required: true }), draft.body),
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button primary small' }, 'Save'),
      h('button', { type: 'button', class: 'button small', 'data-action': 'cancel-edit', 'data-id': id }, 'Cancel'),
      h(
        'span',
        { class: 'hint' },
        h('kbd', {}, 'Ctrl'),
        '+',
        h('kbd', {}, 'Enter'),
        ' saves · ',
        h('kbd', {}, 'Esc'),
        ' cancels',
      ),
    ),
  );
}

function inputWithValue<T extends HTMLInputElement | HTMLTextAreaElement>(element: T, value: string): T {
  element.value = value;
  return element;
}
