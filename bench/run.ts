/**
 * `npm run bench -- [scenario…] [options]`: runs the selected scenarios (all but cluster by
 * default) one after another, each with its own private Redis and processes, and prints a table
 * per scenario plus the targets. Everything it starts is stopped at the end, on error and on Ctrl-C.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeHttp } from './lib/http.ts';
import { machineInfo } from './lib/machine.ts';
import { parseOptions, USAGE, type BenchOptions, type ScenarioName } from './lib/options.ts';
import { killAllNow, stopAll } from './lib/procs.ts';
import { summariseProfiles } from './lib/profile.ts';
import { waitForQuiet } from './lib/quiet.ts';
import { log, printTargets } from './lib/report.ts';
import { accept } from './scenarios/accept.ts';
import { cluster } from './scenarios/cluster.ts';
import { delivery } from './scenarios/delivery.ts';
import { memory } from './scenarios/memory.ts';
import { push } from './scenarios/push.ts';
import { read } from './scenarios/read.ts';
import { schedule } from './scenarios/schedule.ts';
import { storm } from './scenarios/storm.ts';

const RUNNERS: Record<ScenarioName, (options: BenchOptions) => Promise<void>> = {
  delivery,
  accept,
  storm,
  read,
  push,
  memory,
  schedule,
  cluster,
};
/** A hung scenario must not run forever: the whole run is bounded. */
const RUN_LIMIT_MS = 45 * 60_000;

async function main(): Promise<number> {
  const runDir = mkdtempSync(join(tmpdir(), 'stoppress-bench-'));
  const options = parseOptions(process.argv.slice(2), runDir);
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  console.log('Stop Press benchmarks');
  for (const line of machineInfo()) console.log(`  ${line}`);
  console.log(`  scenarios   ${options.scenarios.join(', ')}; API/worker LOG_LEVEL=${options.logLevel}`);
  console.log(`  run folder  ${runDir} (process logs${options.profile ? ', CPU profiles' : ''})`);
  let failed = 0;
  for (const name of options.scenarios) {
    log(`── ${name}`);
    const busy = await waitForQuiet();
    const started = Date.now();
    log(`machine ${(busy * 100).toFixed(0)} % busy with other processes before ${name}`);
    try {
      await RUNNERS[name](options);
    } catch (error) {
      failed++;
      console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      await stopAll();
    }
    log(`── ${name} took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  printTargets();
  if (options.profile) summariseProfiles(join(runDir, 'profiles'));
  return failed > 0 ? 1 : 0;
}

const limit = setTimeout(() => {
  console.error(`the bench ran longer than ${RUN_LIMIT_MS / 60_000} min; stopping`);
  void stopAll().finally(() => process.exit(1));
}, RUN_LIMIT_MS);
limit.unref();

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping every process the bench started…`);
    void stopAll().finally(() => process.exit(130));
  });
}
process.on('exit', killAllNow);

main().then(
  async (code) => {
    await stopAll();
    await closeHttp();
    process.exit(code);
  },
  async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await stopAll();
    process.exit(1);
  },
);
