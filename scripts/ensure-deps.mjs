/**
 * Runs before `npm start` and `npm test` so a fresh clone works with one command.
 * Plain Node with no dependencies: node_modules may not exist yet.
 * `--test` also makes sure the system programs the tests spawn are installed.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackage } from './system-packages.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

function mtime(file) {
  try {
    return statSync(join(root, file)).mtimeMs;
  } catch {
    return undefined;
  }
}

function nodeModulesStale() {
  // npm writes this file last, so it records when node_modules was last brought in line with the lock.
  const installed = mtime('node_modules/.package-lock.json');
  if (installed === undefined) return 'node_modules is missing';
  if ((mtime('package-lock.json') ?? 0) > installed) return 'package-lock.json changed since the last install';
  if ((mtime('package.json') ?? 0) > installed) return 'package.json changed since the last install';
  return undefined;
}

function ensureNodeModules() {
  const reason = nodeModulesStale();
  if (!reason) return;
  console.log(`${reason}; running npm ci --no-audit --no-fund`);
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm ci failed (see its output above)');
}

/** Newest modification time of the files the browser bundles are built from. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : (mtime(path) ?? 0));
  }
  return newest;
}

function ensureClientBuilt() {
  const built = mtime('client/dist/.vite/manifest.json');
  const sources = Math.max(newestSource('client'), newestSource('src/domain'));
  if (built !== undefined && built >= sources) return;
  console.log(built === undefined ? 'Building the browser bundles (client/dist)' : 'client/ changed; rebuilding the browser bundles');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'client/vite.config.ts'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building client/ failed (see its output above)');
}

try {
  ensureNodeModules();
  if (process.argv.includes('--test')) {
    ensureSystemPackage({ command: 'redis-server', apt: 'redis-server', brew: 'redis' });
    // The browser tests drive Debian's Chromium through playwright-core.
    ensureSystemPackage({ command: 'chromium', apt: 'chromium', brew: 'chromium' });
  } else {
    ensureClientBuilt();
  }
} catch (err) {
  console.error(`ensure-deps: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
