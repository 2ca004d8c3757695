/**
 * Browser-side P-256 key pairs and auth secrets for push subscribers. Generating 100k takes a
 * while, so they are kept in the OS temp folder (not in the repository) and reused by later runs.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PushKey {
  p256dh: string;
  auth: string;
  privateKey: string;
}

export const KEYS_FILE = join(tmpdir(), 'stoppress-bench', 'push-keys-v1.txt');

function parse(line: string): PushKey {
  const [p256dh = '', auth = '', privateKey = ''] = line.split(' ');
  return { p256dh, auth, privateKey };
}

export function loadPushKeys(count: number, onGenerate?: (missing: number) => void): PushKey[] {
  const lines = existsSync(KEYS_FILE) ? readFileSync(KEYS_FILE, 'utf8').split('\n').filter(Boolean) : [];
  if (lines.length < count) {
    onGenerate?.(count - lines.length);
    while (lines.length < count) {
      const ecdh = createECDH('prime256v1');
      const publicKey = ecdh.generateKeys().toString('base64url');
      lines.push(`${publicKey} ${randomBytes(16).toString('base64url')} ${ecdh.getPrivateKey('base64url')}`);
    }
    mkdirSync(join(tmpdir(), 'stoppress-bench'), { recursive: true });
    writeFileSync(KEYS_FILE, `${lines.join('\n')}\n`);
  }
  return lines.slice(0, count).map(parse);
}

/** Subscriber i's endpoint at the bench push service. */
export function endpointOf(origin: string, index: number): string {
  return `${origin}/push/${index}`;
}
