/**
 * The alerts box: a toggle button per kind of alert and a status line. The buttons keep one
 * accessible name; the visible On/Off text is for sighted readers, aria-pressed for the rest.
 */
import { LABELS, STATE_TEXT, type AlertKind } from './alert-messages.ts';

export interface AlertsView {
  onToggle(handler: (kind: AlertKind, turnOn: boolean) => void): void;
  showOn(on: Record<AlertKind, boolean>): void;
  setBusy(busy: boolean): void;
  isBusy(): boolean;
  say(text: string): void;
  /** No buttons, only an explanation (unsupported browser, or a step the reader must take first). */
  explain(text: string): void;
}

const KINDS: AlertKind[] = ['story', 'breaking'];

function toggleButton(kind: AlertKind): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'alerts-toggle';
  button.dataset.alert = kind;
  button.setAttribute('aria-pressed', 'false');
  const label = document.createElement('span');
  label.textContent = LABELS[kind];
  const state = document.createElement('span');
  state.className = 'alerts-state';
  state.setAttribute('aria-hidden', 'true');
  state.textContent = STATE_TEXT.off;
  button.append(label, ' ', state);
  return button;
}

export function renderAlertsView(container: HTMLElement): AlertsView {
  const buttons = new Map(KINDS.map((kind) => [kind, toggleButton(kind)] as const));
  const status = document.createElement('p');
  status.className = 'alerts-status';
  status.setAttribute('role', 'status');
  const group = document.createElement('div');
  group.className = 'alerts-toggles';
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', 'News alerts');
  group.append(...buttons.values());
  container.replaceChildren(group, status);
  let busy = false;

  return {
    onToggle(handler) {
      for (const [kind, button] of buttons) {
        button.addEventListener('click', () => handler(kind, button.getAttribute('aria-pressed') !== 'true'));
      }
    },
    showOn(on) {
      for (const [kind, button] of buttons) {
        button.setAttribute('aria-pressed', String(on[kind]));
        button.querySelector('.alerts-state')!.textContent = on[kind] ? STATE_TEXT.on : STATE_TEXT.off;
      }
    },
    // aria-disabled rather than disabled, so a keyboard user's focus stays on the button.
    setBusy(value) {
      busy = value;
      group.setAttribute('aria-busy', String(value));
      for (const button of buttons.values()) button.setAttribute('aria-disabled', String(value));
    },
    isBusy: () => busy,
    say(text) {
      status.textContent = text;
    },
    explain(text) {
      group.hidden = true;
      status.textContent = text;
    },
  };
}
