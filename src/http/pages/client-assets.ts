/**
 * The built browser bundles (client/dist), found through Vite's manifest so that pages can link
 * the content-hashed files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CLIENT_DIST = resolve(import.meta.dirname, '..', '..', '..', 'client', 'dist');

interface ManifestChunk {
  file: string;
  css?: string[];
  isEntry?: boolean;
  name?: string;
}

export interface ClientAssets {
  /** Root-relative URLs of the reader script and its styles. */
  reader: { js: string; css: string[] };
}

export function loadClientAssets(dist = CLIENT_DIST): ClientAssets {
  const manifestPath = join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`The browser bundles are not built (${manifestPath} is missing): run \`npm run build:client\``);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry && chunk.name === 'reader');
  if (!entry) throw new Error('The reader bundle is missing from the Vite manifest');
  return { reader: { js: `/${entry.file}`, css: (entry.css ?? []).map((file) => `/${file}`) } };
}
