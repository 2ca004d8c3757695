/**
 * Summarises V8 CPU profiles (node --cpu-prof): self time per function and per package, so the
 * hot spots of the API and worker under load can be read without opening DevTools.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './procs.ts';
import { table } from './report.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): { file: string; area: string } {
  if (!url) return { file: '(native)', area: '(native / V8)' };
  const path = url.replace(/^file:\/\//, '');
  const file = path.startsWith(ROOT) ? relative(ROOT, path) : path;
  if (file.startsWith('node:')) return { file, area: 'node core' };
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
  return { file, area: pkg ?? file.split('/').slice(0, 2).join('/') };
}

/** Self time in ms per node id, from the sample stream (hitCount alone ignores sample spacing). */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000));
  return self;
}

export function summariseProfile(file: string, top = 20): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const self = selfTimes(profile);
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let idle = 0;
  for (const node of profile.nodes) {
    const t = self.get(node.id) ?? 0;
    if (node.callFrame.functionName === '(idle)') idle += t;
    if (t === 0 || node.callFrame.functionName === '(idle)') continue;
    const { file: src, area } = where(node.callFrame.url);
    // Compiled regexes are named by their whole source; a table needs a shorter name.
    const fn = (node.callFrame.functionName || '(anonymous)').slice(0, 60);
    const name = `${fn}  ${src}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + t);
    byArea.set(area, (byArea.get(area) ?? 0) + t);
  }
  const busy = total - idle;
  const rows = (map: Map<string, number>): string[][] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, t]) => [name, `${t.toFixed(0)} ms`, `${((t / busy) * 100).toFixed(1)} %`]);
  const title = relative(ROOT, file).startsWith('..') ? file : relative(ROOT, file);
  table(
    `profile ${title}: top self time (busy ${(busy / 1000).toFixed(1)} s of ${(total / 1000).toFixed(1)} s)`,
    ['function  file:line', 'self', '% busy'],
    rows(byFunction),
  );
  table(`profile ${title}: self time by package / area`, ['area', 'self', '% busy'], rows(byArea));
}

/**
 * `dir` holds one folder per profiled process; in each, the main thread's profile is the one with
 * thread id 0 in Node's default name CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile (the other is
 * tsx's module-loader thread).
 */
export function summariseProfiles(dir: string): void {
  if (!existsSync(dir)) return;
  for (const process of readdirSync(dir).sort()) {
    const main = readdirSync(join(dir, process)).find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f));
    if (main) summariseProfile(join(dir, process, main));
  }
}

// `tsx bench/lib/profile.ts file.cpuprofile [top]` summarises one profile by itself.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  summariseProfile(process.argv[2] ?? '', Number(process.argv[3] ?? 25));
}
