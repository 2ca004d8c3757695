// The browser ("user agent") side of Web Push, for tests: a P-256 key pair plus auth secret, and
// an independent RFC 8291 / RFC 8188 "aes128gcm" decryptor built on node:crypto only, so that a
// bug in the sending library cannot be mirrored by the code checking it.
import { createDecipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';
import type { ECDH } from 'node:crypto';

export interface PushSubscriptionJSON {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
}

export interface TestSubscriber {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  subscription: PushSubscriptionJSON;
  privateKey: ECDH;
  /** Decrypts one aes128gcm push message body; throws on any malformation or auth failure. */
  decrypt(body: Buffer): Buffer;
}

const TAG_LENGTH = 16;
const HEADER_LENGTH = 16 + 4 + 1; // salt, rs, idlen (RFC 8188 §2.1)
const P256_POINT_LENGTH = 65;

export function createTestSubscriber(endpoint: string): TestSubscriber {
  const ecdh = createECDH('prime256v1');
  const publicKey = ecdh.generateKeys(); // uncompressed point, 65 bytes
  const authSecret = randomBytes(16);
  const keys = { p256dh: publicKey.toString('base64url'), auth: authSecret.toString('base64url') };
  return {
    endpoint,
    keys,
    subscription: { endpoint, expirationTime: null, keys },
    privateKey: ecdh,
    decrypt: (body) => decryptAes128gcm(body, ecdh, publicKey, authSecret),
  };
}

function hkdf(salt: Buffer, ikm: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

export function decryptAes128gcm(body: Buffer, ua: ECDH, uaPublic: Buffer, authSecret: Buffer): Buffer {
  if (body.length < HEADER_LENGTH) throw new Error('aes128gcm: body shorter than the header');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20] ?? 0;
  // RFC 8188 §2: a record must hold at least the tag plus the one-byte delimiter.
  if (rs < TAG_LENGTH + 2) throw new Error(`aes128gcm: record size ${rs} is too small`);
  // RFC 8291 §4: keyid carries the application server's ephemeral public key.
  if (idlen !== P256_POINT_LENGTH) throw new Error(`aes128gcm: keyid is ${idlen} bytes, expected 65`);
  if (body.length < HEADER_LENGTH + idlen) throw new Error('aes128gcm: body shorter than its keyid');
  const asPublic = body.subarray(HEADER_LENGTH, HEADER_LENGTH + idlen);
  const ciphertext = body.subarray(HEADER_LENGTH + idlen);
  if (ciphertext.length === 0) throw new Error('aes128gcm: no records');

  const ecdhSecret = ua.computeSecret(asPublic); // throws on a point not on the curve
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic]);
  const ikm = hkdf(authSecret, ecdhSecret, keyInfo, 32);
  const cek = hkdf(salt, ikm, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const nonce = hkdf(salt, ikm, Buffer.from('Content-Encoding: nonce\0'), 12);

  const plaintexts: Buffer[] = [];
  for (let offset = 0, seq = 0; offset < ciphertext.length; offset += rs, seq++) {
    const record = ciphertext.subarray(offset, offset + rs);
    const last = offset + rs >= ciphertext.length;
    if (record.length < TAG_LENGTH + 1) throw new Error(`aes128gcm: record ${seq} is truncated`);
    const decipher = createDecipheriv('aes-128-gcm', cek, recordNonce(nonce, seq));
    decipher.setAuthTag(record.subarray(record.length - TAG_LENGTH));
    const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - TAG_LENGTH)), decipher.final()]);
    plaintexts.push(unpad(padded, last ? 2 : 1, seq));
  }
  return Buffer.concat(plaintexts);
}

// RFC 8188 §2.3: the record sequence number is XORed into the low end of the base nonce.
function recordNonce(base: Buffer, seq: number): Buffer {
  const nonce = Buffer.from(base);
  nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
  return nonce;
}

// Plaintext is data || delimiter || zeros; the delimiter (2 for the last record, 1 otherwise)
// is how a receiver detects truncation, so a wrong one must fail.
function unpad(padded: Buffer, delimiter: number, seq: number): Buffer {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0) throw new Error(`aes128gcm: record ${seq} has no padding delimiter`);
  if (padded[end] !== delimiter) {
    throw new Error(`aes128gcm: record ${seq} has delimiter ${padded[end]}, expected ${delimiter}`);
  }
  return padded.subarray(0, end);
}
