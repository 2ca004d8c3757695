/** Whether this browser can receive alerts, and what to tell the reader when it cannot. */
export type AlertSupport = 'supported' | 'unsupported' | 'needs-home-screen';

/** iOS and iPadOS got Web Push in 16.4, and only for web apps opened from the home screen. */
const IOS_PUSH_VERSION = 16.4;

// iPadOS 13+ says it is a Mac; only its touch screen gives it away.
function appleMobileVersion(): number | null {
  const ua = navigator.userAgent;
  const apple = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
  if (!apple) return null;
  const match = /OS (\d+)_(\d+)/.exec(ua) ?? /Version\/(\d+)\.(\d+)/.exec(ua);
  return match ? Number(`${match[1]}.${match[2]}`) : IOS_PUSH_VERSION;
}

function isHomeScreenApp(): boolean {
  return (
    (navigator as Navigator & { standalone?: boolean }).standalone === true ||
    matchMedia('(display-mode: standalone)').matches
  );
}

function hasPushApis(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

export function alertSupport(): AlertSupport {
  const iosVersion = appleMobileVersion();
  if (iosVersion !== null && iosVersion >= IOS_PUSH_VERSION && !isHomeScreenApp()) return 'needs-home-screen';
  return hasPushApis() ? 'supported' : 'unsupported';
}
