/**
 * The reader's opt-in to push alerts on the story page: "Alerts for this story" and "Breaking
 * news". Nothing is asked of the browser until the reader clicks, and the permission prompt
 * comes straight from that click, as browsers require.
 */
import { confirmation, failure, MESSAGES, type AlertKind } from './alert-messages.ts';
import { alertSupport } from './alert-support.ts';
import { renderAlertsView, type AlertsView } from './alerts-view.ts';
import { createReaderSubscription, type ReaderSubscription } from './reader-subscription.ts';

export interface AlertsOptions {
  storyId: string;
  /** Origin of the API ('' for the page's own origin). */
  apiBase?: string;
}

export function mountAlerts(container: HTMLElement, options: AlertsOptions): void {
  const view = renderAlertsView(container);
  const support = alertSupport();
  if (support !== 'supported') {
    view.explain(support === 'needs-home-screen' ? MESSAGES.homeScreen : MESSAGES.unsupported);
    return;
  }
  const subscription = createReaderSubscription(options.apiBase ?? '');
  const topicOf: Record<AlertKind, string> = { story: `story:${options.storyId}`, breaking: 'breaking' };
  const show = (topics: readonly string[]) =>
    view.showOn({ story: topics.includes(topicOf.story), breaking: topics.includes(topicOf.breaking) });

  subscription.topics().then(show, () => view.say(MESSAGES.unavailable));
  if (Notification.permission === 'denied') view.say(MESSAGES.blocked);
  view.onToggle((kind, turnOn) => {
    if (!view.isBusy())
      void toggle(view, subscription, topicOf[kind], kind, turnOn).then((topics) => topics && show(topics));
  });
  followUpdateLinks();
}

async function toggle(
  view: AlertsView,
  subscription: ReaderSubscription,
  topic: string,
  kind: AlertKind,
  turnOn: boolean,
): Promise<string[] | null> {
  view.setBusy(true);
  try {
    if (turnOn) {
      const permission = await askPermission();
      if (permission !== 'granted') {
        view.say(permission === 'denied' ? MESSAGES.blocked : MESSAGES.dismissed);
        return null;
      }
    }
    view.say(MESSAGES.working);
    const topics = turnOn ? await subscription.add(topic) : await subscription.remove(topic);
    view.say(topics.length === 0 ? `${confirmation(kind, false)} ${MESSAGES.allOff}` : confirmation(kind, turnOn));
    return topics;
  } catch (error) {
    view.say(failure(error));
    return null;
  } finally {
    view.setBusy(false);
  }
}

// Called first thing in the click handler: browsers only prompt during a user gesture.
function askPermission(): Promise<NotificationPermission> {
  return Notification.permission === 'granted' ? Promise.resolve('granted') : Notification.requestPermission();
}

/** A notification clicked while this page is open but not controlled by the worker lands here. */
function followUpdateLinks(): void {
  navigator.serviceWorker.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data as { type?: unknown; url?: unknown } | null;
    if (data?.type !== 'stoppress:show-update' || typeof data.url !== 'string') return;
    const target = new URL(data.url, location.href);
    if (target.origin === location.origin && target.pathname === location.pathname) location.hash = target.hash;
  });
  navigator.serviceWorker.startMessages();
}
