/**
 * Builds the browser bundles (client/dist) when they are missing or older than their sources.
 * Plain Node: used before `npm start` and by the test run's global setup. Skipping a fresh build
 * also keeps test runs from emptying client/dist under a server that is serving it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** Everything the bundles import from: client/ itself, the domain types and src/shared (e.g. the update markup). */
const SOURCES = ['client', 'src/domain', 'src/shared'];

function mtime(path) {
  try {
    return statSync(join(root, path)).mtimeMs;
  } catch {
    return undefined;
  }
}

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : (mtime(path) ?? 0));
  }
  return newest;
}

export function ensureClientBuilt({ quiet = false } = {}) {
  const built = mtime('client/dist/.vite/manifest.json');
  const sources = Math.max(...SOURCES.map(newestSource));
  if (built !== undefined && built >= sources) return false;
  if (!quiet)
    console.log(
      built === undefined
        ? 'Building the browser bundles (client/dist)'
        : 'client/ changed; rebuilding the browser bundles',
    );
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'client/vite.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('building client/ failed (see its output above)');
  return true;
}
