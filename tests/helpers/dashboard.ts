/** The editor dashboard's sign-in, as a person does it: the token typed into its form. */
import type { Page } from 'playwright-core';

/** Types a token and submits it, waiting for nothing: a refused token is a result too. */
export async function submitToken(page: Page, token: string): Promise<void> {
  await page.getByLabel('Editor token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens /admin (plus `hash`, e.g. "#story=…") on `base`, signs in, and waits for the dashboard. */
export async function signIn(page: Page, base: string | undefined, token: string, hash = ''): Promise<void> {
  // `base` is usually stack.urls[0], typed as possibly absent.
  if (!base) throw new Error('signIn: no base URL');
  await page.goto(`${base}/admin${hash}`);
  await submitToken(page, token);
  await page.locator('#dashboard-view').waitFor({ state: 'visible' });
}
