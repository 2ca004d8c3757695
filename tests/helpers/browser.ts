import type { Locator, Page } from 'playwright-core';

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
