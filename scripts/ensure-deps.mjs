/**
 * Runs before `npm start` and `npm test` so a fresh clone works with one command.
 * Plain Node with no dependencies: node_modules may not exist yet.
 * `--test` also makes sure the system programs the tests spawn are installed.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureClientBuilt } from './client-build.mjs';
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
