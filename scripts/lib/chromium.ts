/** Debian's Chromium driven by playwright-core, as the browser tests and docs:screenshots launch it. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export function chromiumPath(): string {
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found)
    throw new Error('Chromium is not installed (npm test installs it with apt-get: `apt-get install -y chromium`)');
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
