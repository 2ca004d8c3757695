import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

export { chromiumPath, launchBrowser } from '../../scripts/lib/chromium.ts';

/** Screenshots and other files a person may want to look at after a run. */
export const ARTIFACTS_DIR = new URL('../../test-artifacts/', import.meta.url).pathname;

/** A locator's visible text, all matches joined by newlines. */
export const text = async (locator: Locator): Promise<string> => (await locator.allInnerTexts()).join('\n');

/**
 * Errors the page throws, and the console's Content-Security-Policy refusals: the server's CSP
 * allows no inline script or style, so a screen that needs any shows up here. Read it at the end.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  return errors;
}

const isLoopback = (url: string): boolean => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

/** The requests that were for another machine than this one. */
export const requestsAway = (requests: string[]): string[] => requests.filter((url) => !isLoopback(url));

/** A browser context that records every request its pages make and refuses all that would leave this machine. */
export async function recordingContext(browser: Browser): Promise<{ context: BrowserContext; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  await context.route(
    (url) => !isLoopback(url.href),
    (route) => route.abort(),
  );
  return { context, requests };
}
