/**
 * SSRF guard for push endpoints. Anonymous readers hand us URLs that the workers will POST to,
 * so an endpoint must be https and must not resolve to loopback, private, link-local,
 * unique-local, cloud-metadata or otherwise non-public addresses. Origins on the allowlist
 * (tests, private push services) skip the checks. The same address check runs again when the
 * sender connects (see publicOnlyLookup), so DNS rebinding after subscription does not help.
 */
import { lookup, type LookupAddress } from 'node:dns';
import { promisify } from 'node:util';
import ipaddr from 'ipaddr.js';
import { appError, type AppError } from '../errors.ts';

const lookupAll = promisify(lookup);

/** ipaddr.js ranges that are safe to connect to; everything else is refused. */
const PUBLIC_RANGES = new Set(['unicast']);

export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return PUBLIC_RANGES.has(parsed.range());
}

function refused(reason: string): AppError {
  return appError('PUSH_ENDPOINT_REFUSED', `The push endpoint was refused: ${reason}`);
}

function parseEndpoint(endpoint: string): URL {
  try {
    return new URL(endpoint);
  } catch {
    throw refused('it is not a URL');
  }
}

export async function checkPushEndpoint(endpoint: string, allowlist: readonly string[]): Promise<void> {
  const url = parseEndpoint(endpoint);
  if (allowlist.includes(url.origin)) return;
  if (url.protocol !== 'https:') throw refused('it must be an https URL');
  if (url.username || url.password) throw refused('it must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    if (!isPublicAddress(host)) throw refused(`${host} is not a public address`);
    return;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await lookupAll(host, { all: true, verbatim: true });
  } catch {
    throw refused(`${host} does not resolve`);
  }
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  if (addresses.length === 0 || bad)
    throw refused(`${host} resolves to a non-public address${bad ? ` (${bad.address})` : ''}`);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A dns.lookup for the sender's sockets that never connects to a non-public address. */
export function publicOnlyLookup(hostname: string, options: object, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const allowed = (addresses as LookupAddress[]).filter((a) => isPublicAddress(a.address));
    if (allowed.length === 0) {
      const refusedError: NodeJS.ErrnoException = new Error(`${hostname} resolves only to non-public addresses`);
      refusedError.code = 'EADDRNOTAVAIL';
      return callback(refusedError, []);
    }
    if ((options as { all?: boolean }).all) return callback(null, allowed);
    callback(null, allowed[0]!.address, allowed[0]!.family);
  });
}
