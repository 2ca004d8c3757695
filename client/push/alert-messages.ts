/** What the alerts box tells the reader. */
export type AlertKind = 'story' | 'breaking';

export const LABELS: Record<AlertKind, string> = {
  story: 'Alerts for this story',
  breaking: 'Breaking news',
};

export const STATE_TEXT = { on: 'On ✓', off: 'Off' };

export const MESSAGES = {
  unsupported: 'This browser can’t show news alerts. Try an up-to-date Chrome, Edge, Firefox or Safari.',
  homeScreen:
    'To get alerts on iPhone or iPad: tap Share, then “Add to Home Screen”. Then open Stop Press from your home screen to turn alerts on.',
  blocked:
    'Alerts are blocked for this site. To turn them on, allow notifications for this site in your browser’s settings (the icon next to the address bar → Site settings → Notifications), then try again.',
  dismissed: 'Alerts need your permission: choose “Allow” when your browser asks.',
  unavailable: 'Alerts are not available right now. Try reloading the page.',
  working: 'Saving…',
  allOff: 'No alerts are on now, so this browser is unsubscribed.',
};

export function confirmation(kind: AlertKind, on: boolean): string {
  if (kind === 'story') return on ? 'You’ll get an alert when this story has news.' : 'Alerts for this story are off.';
  return on ? 'You’ll get an alert for breaking news.' : 'Breaking news alerts are off.';
}

export function failure(error: unknown): string {
  if (error instanceof DOMException && error.name === 'NotAllowedError') return MESSAGES.blocked;
  return error instanceof Error && error.message ? error.message : MESSAGES.unavailable;
}
