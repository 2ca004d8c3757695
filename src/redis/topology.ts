/**
 * Where Redis is: one server, a primary with replicas under Sentinel, or a Cluster. The config
 * reads exactly one of the three; everything that connects takes this value, never a URL.
 */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export type RedisTopology =
  | { readonly kind: 'single'; readonly url: string }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly HostPort[];
      /** The master name the sentinels monitor. */
      readonly name: string;
      readonly sentinelPassword: string | undefined;
      readonly password: string | undefined;
    }
  | { readonly kind: 'cluster'; readonly nodes: readonly HostPort[]; readonly password: string | undefined };

export interface RedisSettings {
  readonly topology: RedisTopology;
  /** Replicas that must hold an accepted write before the API answers 202 (Redis WAIT); 0 = none. */
  readonly waitReplicas: number;
  readonly waitTimeoutMs: number;
}

/** `host:port,[::1]:port,…` → host/port pairs; throws with the offending item. */
export function parseHostPorts(list: string): HostPort[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(item);
      const port = Number(match?.[3]);
      if (!match || port < 1 || port > 65535) throw new Error(`"${item}" is not host:port`);
      return { host: match[1] ?? match[2] ?? '', port };
    });
}

/** For logs and error messages: never includes a password. */
export function describeTopology(topology: RedisTopology): string {
  const list = (nodes: readonly HostPort[]) =>
    nodes.map((n) => (n.host.includes(':') ? `[${n.host}]:${n.port}` : `${n.host}:${n.port}`)).join(',');
  if (topology.kind === 'sentinel') return `Sentinel master "${topology.name}" via ${list(topology.sentinels)}`;
  if (topology.kind === 'cluster') return `Redis Cluster seeded by ${list(topology.nodes)}`;
  const url = new URL(topology.url);
  url.password = '';
  url.username = '';
  return url.toString();
}
