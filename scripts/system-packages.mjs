/**
 * Installs a missing system command with the machine's package manager. Plain Node with no
 * dependencies, because ensure-deps.mjs runs it before `npm ci`.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function isOnPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function run(argv) {
  console.log(`  $ ${argv.join(' ')}`);
  // Without this, a package's configuration prompt would wait forever for an answer nobody sees.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [file, ...args] = argv;
  return spawnSync(file, args, { stdio: 'inherit', env }).status === 0;
}

function aptInstall(pkg) {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot && !isOnPath('sudo')) {
    throw new Error(`installing ${pkg} needs root: run \`apt-get install -y ${pkg}\` as root, then retry`);
  }
  const sudo = isRoot ? [] : ['sudo'];
  if (run([...sudo, 'apt-get', 'install', '-y', pkg])) return;
  // Fresh containers ship without package lists, so "unable to locate package" is the usual failure.
  console.log('apt-get install failed; refreshing the package lists with apt-get update and trying again.');
  if (!run([...sudo, 'apt-get', 'update']) || !run([...sudo, 'apt-get', 'install', '-y', pkg])) {
    throw new Error(`apt-get could not install ${pkg} (see its output above)`);
  }
}

function brewInstall(pkg) {
  if (!run(['brew', 'install', pkg])) throw new Error(`brew could not install ${pkg} (see its output above)`);
}

/**
 * Makes sure `command` is on PATH, installing `apt` (Debian/Ubuntu) or `brew` (macOS) if not.
 * Throws an Error with a message fit for the user when it cannot.
 */
export function ensureSystemPackage({ command, apt, brew }) {
  if (isOnPath(command)) return;
  if (process.platform === 'linux' && apt && isOnPath('apt-get')) {
    console.log(`${command} is not installed; installing the "${apt}" package with apt-get:`);
    aptInstall(apt);
  } else if (process.platform === 'darwin' && brew && isOnPath('brew')) {
    console.log(`${command} is not installed; installing the "${brew}" formula with Homebrew:`);
    brewInstall(brew);
  } else {
    throw new Error(
      `${command} is not on PATH and this machine has no package manager we know how to use ` +
        `(apt-get on Debian/Ubuntu, brew on macOS). Install it yourself, then retry.`,
    );
  }
  if (!isOnPath(command)) throw new Error(`installed ${apt ?? brew}, but ${command} is still not on PATH`);
}
