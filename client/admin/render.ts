/**
 * Draws the dashboard from its state. Each region is redrawn only when the part of the state it
 * shows changed, and the composer is never redrawn here: its fields belong to the editor.
 */
import { h } from './dom.ts';
import { renderKeyedList } from './keyed-list.ts';
import { renderStoryHeader, renderStoryList } from './render-story.ts';
import { createSettingsRenderer } from './render-story-settings.ts';
import { renderUpdateRow } from './render-update.ts';
import { applyRole } from './role.ts';
import type { DashboardState, Problem } from './state.ts';
import { itemSignature, updateItems } from './update-items.ts';
import { findView, type DashboardView } from './view.ts';

export function createRenderer() {
  const view = findView();
  const renderStorySettings = createSettingsRenderer();
  return function render(state: DashboardState, previous: DashboardState | null): void {
    const changed = (...keys: (keyof DashboardState)[]) =>
      !previous || keys.some((key) => state[key] !== previous[key]);
    if (changed('session')) renderSession(view, state);
    if (changed('me')) applyRole(state.me?.role ?? null);
    if (changed('problem', 'notice')) renderMessages(view, state);
    if (changed('stories', 'storiesLoading', 'selectedId')) renderStoryList(view, state);
    if (changed('stories', 'selectedId', 'readers', 'feed', 'statusChange')) renderStoryHeader(view, state);
    if (changed('stories', 'selectedId', 'settings')) renderStorySettings(state, previous);
    if (changed('updates', 'updatesLoading', 'posted', 'alerts', 'ui', 'olderCursor', 'selectedId'))
      renderUpdates(view, state);
  };
}

function renderSession(view: DashboardView, state: DashboardState): void {
  const signedIn = state.session === 'signed-in';
  view.signIn.hidden = signedIn;
  view.dashboard.hidden = !signedIn;
  view.sessionBar.hidden = !signedIn;
  view.signInSubmit.disabled = state.session === 'checking';
  view.signInSubmit.textContent = state.session === 'checking' ? 'Checking…' : 'Sign in';
}

function renderMessages(view: DashboardView, state: DashboardState): void {
  view.problem.replaceChildren(...(state.problem ? [problemBox(state.problem)] : []));
  // A new element per notice restarts its fade-out animation.
  view.notice.replaceChildren(...(state.notice ? [h('span', { class: 'notice-text' }, state.notice)] : []));
}

function problemBox(problem: Problem): HTMLDivElement {
  return h(
    'div',
    { class: 'problem' },
    h(
      'p',
      { class: 'problem-text' },
      h('strong', {}, 'Error: '),
      problem.message,
      ' ',
      h('code', { class: 'problem-code' }, problem.code),
    ),
    h('button', { type: 'button', class: 'button small', 'data-action': 'dismiss-problem' }, 'Dismiss'),
  );
}

function renderUpdates(view: DashboardView, state: DashboardState): void {
  const items = updateItems(state);
  view.updateCount.textContent = state.updatesLoading ? '' : String(items.length);
  view.updateListEmpty.hidden = state.updatesLoading || items.length > 0;
  view.updateList.setAttribute('aria-busy', String(state.updatesLoading));
  renderKeyedList(view.updateList, items, {
    key: (item) => item.id,
    signature: itemSignature,
    render: renderUpdateRow,
  });
  view.loadOlder.hidden = !state.olderCursor;
}
