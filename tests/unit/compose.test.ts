/**
 * docker-compose.yml, read as Compose reads it (YAML merge keys, `${VAR:-default}`), since no
 * Docker engine runs where the tests run: the single-Redis stack and the `sentinel` profile
 * (primary, two replicas, three sentinels, two API nodes behind nginx, two workers) must name
 * services, variables, ports, dependencies and files that fit together. Where `docker compose`
 * and nginx are installed, they check the files too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.ts';

const ROOT = resolve(import.meta.dirname, '../..');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  networks?: string[] | Record<string, { aliases?: string[] } | null>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: unknown;
}

/** `${NAME:-default}` takes its default (the tests must not depend on the shell); `$$` is a `$`. */
function interpolate(text: string): string {
  return text.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, (_match, fallback: string) => fallback).replace(/\$\$/g, '$');
}

const compose = parse(interpolate(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')), { merge: true }) as {
  services: Record<string, Service>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;
const inProfile = (profile: string) =>
  Object.keys(services).filter((name) => services[name]!.profiles?.includes(profile));
const DEFAULT_STACK = ['redis', 'api1', 'api2', 'worker', 'proxy'];
const SENTINEL_STACK = [
  'redis-primary',
  'redis-replica1',
  'redis-replica2',
  'sentinel1',
  'sentinel2',
  'sentinel3',
  'sentinel-api1',
  'sentinel-api2',
  'sentinel-worker1',
  'sentinel-worker2',
  'sentinel-proxy',
];
const SENTINEL_CLIENTS = ['sentinel-api1', 'sentinel-api2', 'sentinel-worker1', 'sentinel-worker2'];
const SENTINEL_CONF = readFileSync(join(ROOT, 'deploy/sentinel/sentinel.conf'), 'utf8');

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** The networks a service is on, with the names it answers to on each (its own and its aliases). */
function namesOn(name: string): Map<string, string[]> {
  const { networks } = service(name);
  if (!networks) return new Map([['default', [name]]]);
  if (Array.isArray(networks)) return new Map(networks.map((n) => [n, [name]]));
  return new Map(Object.entries(networks).map(([n, settings]) => [n, [name, ...(settings?.aliases ?? [])]]));
}

/** The bind mounts (`./host/path:/container/path[:ro]`) of a service: host path → container path. */
function bindMounts(name: string): Map<string, string> {
  const mounts = (service(name).volumes ?? []).filter((v) => v.startsWith('./'));
  return new Map(mounts.map((v) => v.split(':') as [string, string]));
}

/** `server host:port …;` lines of the upstream blocks of an nginx config. */
function upstreamServers(nginxConf: string): { host: string; port: number }[] {
  const servers: { host: string; port: number }[] = [];
  for (const block of nginxConf.matchAll(/^\s*upstream\s+\S+\s*\{([\s\S]*?)^\s*\}/gm))
    for (const line of block[1]!.matchAll(/^\s*server\s+([\w.-]+):(\d+)\b/gm))
      servers.push({ host: line[1]!, port: Number(line[2]) });
  return servers;
}

function works(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

describe('docker-compose.yml, single Redis (no profile)', () => {
  it('starts Redis, two API nodes, a worker and nginx, and nothing of the sentinel profile', () => {
    const unprofiled = Object.keys(services).filter((name) => !services[name]!.profiles);
    expect(unprofiled.sort()).toEqual([...DEFAULT_STACK].sort());
    for (const name of ['api1', 'api2', 'worker']) {
      expect(service(name).environment).toMatchObject({ REDIS_URL: 'redis://redis:6379' });
      expect(service(name).environment).not.toHaveProperty('REDIS_SENTINELS');
    }
    expect(service('proxy').ports).toEqual(['8080:80']);
  });
});

describe('docker-compose.yml, profile sentinel', () => {
  it('runs a primary, two replicas, three sentinels, two API nodes, two workers and nginx', () => {
    expect(inProfile('sentinel').sort()).toEqual([...SENTINEL_STACK].sort());
    for (const name of SENTINEL_STACK) expect(service(name).profiles, name).toEqual(['sentinel']);
    for (const name of SENTINEL_CLIENTS) expect(service(name).image).toBe('stoppress:latest');
    expect(service('sentinel-worker1').command).toEqual(['node', '--import', 'tsx', 'workers/main.ts']);
    expect(service('sentinel-api1').command).toBeUndefined(); // the image's CMD: the API
  });

  it('keeps to a network of its own, so the two stacks never reach each other', () => {
    for (const name of SENTINEL_STACK) expect([...namesOn(name).keys()], name).toEqual(['sentinel']);
    for (const name of DEFAULT_STACK) expect([...namesOn(name).keys()], name).toEqual(['default']);
    expect(compose.networks).toHaveProperty('sentinel');
  });

  it('replicates from the primary, and every data node announces its service name', () => {
    for (const name of ['redis-primary', 'redis-replica1', 'redis-replica2']) {
      const command = service(name).command!.join(' ');
      expect(command, name).toMatch(/^redis-server .*--appendonly yes/);
      expect(command, name).toContain(`--replica-announce-ip ${name}`);
      expect(service(name).image).toBe('redis:7');
    }
    expect(service('redis-primary').command).not.toContain('--replicaof');
    for (const name of ['redis-replica1', 'redis-replica2'])
      expect(service(name).command!.join(' ')).toContain('--replicaof redis-primary 6379');
  });

  it('has three sentinels monitoring the primary by name, with a majority quorum', () => {
    expect(SENTINEL_CONF).toMatch(/^sentinel resolve-hostnames yes$/m);
    expect(SENTINEL_CONF).toMatch(/^sentinel announce-hostnames yes$/m);
    const monitor = /^sentinel monitor (\S+) (\S+) (\d+) (\d+)$/m.exec(SENTINEL_CONF);
    expect(monitor?.slice(1, 4)).toEqual(['stoppress', 'redis-primary', '6379']);
    const sentinels = ['sentinel1', 'sentinel2', 'sentinel3'];
    expect(Number(monitor![4])).toBe(Math.floor(sentinels.length / 2) + 1);
    for (const name of sentinels) {
      expect(service(name).image).toBe('redis:7');
      expect(service(name).environment).toEqual({ SENTINEL_HOSTNAME: name });
      const command = service(name).command!.join(' ');
      expect(command).toContain('sentinel announce-ip $SENTINEL_HOSTNAME');
      expect(command).toMatch(/redis-server \/data\/sentinel\.conf --sentinel$/);
      expect([...bindMounts(name).values()]).toContain('/etc/stoppress/sentinel.conf');
    }
  });

  it('points every API node and worker at the sentinels, waits for one replica, and the config accepts it', () => {
    const port = /^port (\d+)$/m.exec(SENTINEL_CONF)?.[1];
    const name = /^sentinel monitor (\S+)/m.exec(SENTINEL_CONF)?.[1];
    for (const client of SENTINEL_CLIENTS) {
      const env = service(client).environment!;
      expect(env.REDIS_SENTINELS, client).toBe(`sentinel1:${port},sentinel2:${port},sentinel3:${port}`);
      expect(env.REDIS_SENTINEL_NAME, client).toBe(name);
      expect(env.REDIS_WAIT_REPLICAS, client).toBe('1');
      for (const other of ['REDIS_URL', 'REDIS_CLUSTER_NODES']) expect(env, client).not.toHaveProperty(other);
      // An empty `${VAR:-}` is null to YAML and "" to Compose; the config counts "" as unset.
      const asCompose = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v ?? '')]));
      const config = loadConfig({ NODE_ENV: 'production', ...asCompose });
      expect(config.redis.topology).toMatchObject({ kind: 'sentinel', name });
      expect(config.redis.waitReplicas).toBe(1);
    }
  });

  it('publishes only nginx, on a port of its own, so both stacks can run side by side', () => {
    const published = Object.keys(services).filter((n) => services[n]!.ports);
    expect(published.sort()).toEqual(['proxy', 'sentinel-proxy']);
    expect(service('sentinel-proxy').ports).toEqual(['8081:80']);
    expect(service('sentinel-api1').environment!.PUBLIC_URL).toBe('http://localhost:8081');
  });

  it('starts each service after what it needs, within its own stack, and waits only on health checks that exist', () => {
    for (const name of Object.keys(services)) {
      const stack = service(name).profiles ? SENTINEL_STACK : DEFAULT_STACK;
      for (const [needed, { condition }] of Object.entries(service(name).depends_on ?? {})) {
        expect(stack, `${name} depends on ${needed}`).toContain(needed);
        if (condition === 'service_healthy') expect(service(needed).healthcheck, needed).toBeDefined();
      }
    }
    const needs = (name: string) => Object.keys(service(name).depends_on ?? {}).sort();
    for (const client of SENTINEL_CLIENTS)
      expect(needs(client)).toEqual(['redis-replica1', 'redis-replica2', 'sentinel1', 'sentinel2', 'sentinel3']);
    for (const name of ['sentinel1', 'redis-replica1']) expect(needs(name)).toEqual(['redis-primary']);
    expect(needs('sentinel-proxy')).toEqual(['sentinel-api1', 'sentinel-api2']);
  });
});

describe('docker-compose.yml, files and nginx', () => {
  it('mounts only files that exist, and named volumes that are declared', () => {
    for (const name of Object.keys(services)) {
      for (const hostPath of bindMounts(name).keys()) expect(existsSync(join(ROOT, hostPath)), hostPath).toBe(true);
      for (const volume of service(name).volumes ?? []) {
        if (volume.startsWith('./')) continue;
        expect(compose.volumes, `${name}: ${volume}`).toHaveProperty(volume.split(':')[0]!);
      }
    }
  });

  it.each(['proxy', 'sentinel-proxy'])('%s: every nginx upstream server is an API node of its own stack', (proxy) => {
    const conf = [...bindMounts(proxy)].find(([, inside]) => inside === '/etc/nginx/nginx.conf')?.[0];
    expect(conf).toBeDefined();
    const servers = upstreamServers(readFileSync(join(ROOT, conf!), 'utf8'));
    const [network] = [...namesOn(proxy).keys()];
    const apis = Object.keys(services).filter(
      (n) => service(n).environment?.PORT !== undefined && namesOn(n).has(network!),
    );
    expect(apis).toHaveLength(2);
    const reachable = apis.flatMap((n) =>
      namesOn(n)
        .get(network!)!
        .map((alias) => `${alias}:${service(n).environment!.PORT}`),
    );
    expect(servers.length).toBe(apis.length);
    for (const { host, port } of servers) expect(reachable).toContain(`${host}:${port}`);
    // Each node under one name of its own (sticky hashing by name; see the comment in the upstream).
    expect(new Set(servers.map((s) => s.host)).size).toBe(servers.length);
  });

  const compose2 = works('docker', ['compose', 'version']);
  it(`docker compose --profile sentinel config -q accepts the file${compose2 ? '' : ' (skipped: no `docker compose` on this machine)'}`, () => {
    if (!compose2)
      return console.log('compose.test: `docker compose version` failed, so `docker compose config` was not run');
    for (const args of [
      ['config', '-q'],
      ['--profile', 'sentinel', 'config', '-q'],
    ])
      execFileSync('docker', ['compose', ...args], { cwd: ROOT, stdio: 'pipe' });
  });

  const nginx = works('sh', ['-c', 'command -v nginx']);
  it(`nginx -t accepts deploy/nginx.conf${nginx ? '' : ' (skipped: nginx is not installed here)'}`, () => {
    if (!nginx) return console.log('compose.test: nginx is not installed, so `nginx -t` was not run');
    const prefix = mkdtempSync(join(tmpdir(), 'stoppress-nginx-'));
    try {
      const result = spawnSync('nginx', ['-t', '-p', prefix, '-c', join(ROOT, 'deploy/nginx.conf')], {
        encoding: 'utf8',
      });
      // The upstream names (api1, api2) resolve only inside Compose; everything else must pass.
      const problems = result.stderr.split('\n').filter((l) => /\[emerg\]/.test(l) && !/host not found/.test(l));
      expect(problems).toEqual([]);
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  });
});
