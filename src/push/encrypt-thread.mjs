/**
 * The worker-thread side of EncryptPool (encrypt-pool.ts): encrypts each message of a batch with
 * web-push's encrypt (RFC 8291 aes128gcm) and answers with each body as soon as it is ready.
 *
 * Plain JavaScript on purpose: on Node 20 a worker thread's entry file is not loaded through
 * `--import tsx` (nodejs/node#47747), so a `.ts` entry would fail with ERR_UNKNOWN_FILE_EXTENSION.
 * The message shapes are declared as EncryptBatch / EncryptReply in encrypt-pool.ts.
 */
import { parentPort } from 'node:worker_threads';
import webpush from 'web-push';

if (!parentPort) throw new Error('encrypt-thread.mjs runs only as a worker thread');
const port = parentPort;

port.on(
  'message',
  (
    /** @type {{ payloads: string[], requests: { id: number, p256dh: string, auth: string, payload: number }[] }} */ batch,
  ) => {
    // One answer per message, not per batch: each send goes on as soon as its own body is ready
    // instead of when the last of the batch is.
    for (const { id, p256dh, auth, payload } of batch.requests) {
      let cipherText;
      try {
        cipherText = webpush.encrypt(p256dh, auth, batch.payloads[payload], 'aes128gcm').cipherText;
      } catch (error) {
        port.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
        continue;
      }
      // A copy in an ArrayBuffer of its own: small Buffers share Node's 8 KB pool, which cannot be
      // transferred, and cloning a view would copy the whole pool.
      const body = new Uint8Array(cipherText.length);
      body.set(cipherText);
      port.postMessage({ id, body }, [body.buffer]);
    }
  },
);
