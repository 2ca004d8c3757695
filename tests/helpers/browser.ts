export { chromiumPath, launchBrowser } from '../../scripts/lib/chromium.ts';

/** Screenshots and other files a person may want to look at after a run. */
export const ARTIFACTS_DIR = new URL('../../test-artifacts/', import.meta.url).pathname;
