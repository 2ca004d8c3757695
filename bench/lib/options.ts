/** Command-line options of `npm run bench -- [scenario…] [--flags]`. */
import { parseArgs } from 'node:util';

export const SCENARIOS = ['delivery', 'accept', 'storm', 'read', 'push', 'memory', 'schedule', 'cluster'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
/** cluster runs only when named: it compares a whole second stack (6 Redis nodes, 5 processes). */
const BY_DEFAULT = SCENARIOS.filter((name) => name !== 'cluster');

export interface BenchOptions {
  scenarios: ScenarioName[];
  /** Reader counts of the delivery scenario. */
  readers: number[];
  /** Reader counts of the cluster scenario (spread over its 3 API processes). */
  clusterReaders: number[];
  stormReaders: number;
  memoryReaders: number;
  pushSubscribers: number[];
  /** Overrides every scenario's own round count. */
  rounds: number | undefined;
  /** Reader generator processes. */
  generators: number;
  logLevel: string;
  profile: boolean;
  /** Logs, profiles and caches of this run. */
  runDir: string;
}

export const USAGE = `usage: npm run bench -- [${SCENARIOS.join('|')} …] [options]
  (no scenario: all but cluster)
  --readers 1000,10000      delivery: reader counts (20000 possible, see ulimit -n)
  --cluster-readers 3000,9000,18000  cluster: readers over 3 API processes, per topology
  --storm-readers 10000     storm: readers connecting within 10 s
  --memory-readers 10000    memory: readers for RSS per reader
  --push-subscribers 10000,100000
  --rounds N                rounds per figure (default: per scenario, printed)
  --generators 4            reader generator processes
  --log-level warn          LOG_LEVEL of the API and worker under test (read also measures info)
  --profile                 run the API and worker with node --cpu-prof and summarise the profiles`;

const numbers = (text: string): number[] =>
  text
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);

export function parseOptions(argv: string[], runDir: string): BenchOptions | null {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      readers: { type: 'string', default: '1000,10000' },
      'cluster-readers': { type: 'string', default: '3000,9000,18000' },
      'storm-readers': { type: 'string', default: '10000' },
      'memory-readers': { type: 'string', default: '10000' },
      'push-subscribers': { type: 'string', default: '10000,100000' },
      rounds: { type: 'string' },
      generators: { type: 'string', default: '4' },
      'log-level': { type: 'string', default: 'warn' },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  const unknown = positionals.filter((p) => !(SCENARIOS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}\n${USAGE}`);
  return {
    scenarios: positionals.length > 0 ? (positionals as ScenarioName[]) : BY_DEFAULT,
    readers: numbers(values.readers),
    clusterReaders: numbers(values['cluster-readers']),
    stormReaders: numbers(values['storm-readers'])[0] ?? 10_000,
    memoryReaders: numbers(values['memory-readers'])[0] ?? 10_000,
    pushSubscribers: numbers(values['push-subscribers']),
    rounds: values.rounds === undefined ? undefined : numbers(values.rounds)[0],
    generators: numbers(values.generators)[0] ?? 4,
    logLevel: values['log-level'],
    profile: values.profile,
    runDir,
  };
}
