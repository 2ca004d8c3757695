/** autocannon in its own process, so its CPU is not the server's: one GET target per call. */
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { serve } from '../lib/rpc.ts';

export interface CannonParams {
  url: string;
  connections: number;
  durationS: number;
  headers?: Record<string, string>;
}
export interface CannonResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  bytesPerRequest: number;
}

/**
 * autocannon (8 and 9) appends every response body to a JS string (`req.body += chunk`), a UTF-8
 * decode of each byte it reads, kept only for `verifyBody` and request sequences, which we do not
 * use. On these 2 cores that made autocannon itself the bottleneck for any answer over ~1 KB
 * (~4.5 µs per KB of gzip, measured): the figures said more about the load generator than about
 * the server. Bytes are still counted from the raw socket chunks (`throughput`), as wrk does.
 */
function stopBodyDecoding(): void {
  const require = createRequire(import.meta.url);
  const queue = require('autocannon/lib/pipelinedRequestsQueue.js') as { prototype: { addBody?: unknown } };
  if (typeof queue.prototype.addBody !== 'function')
    throw new Error('autocannon changed: PipelinedRequestsQueue.addBody is gone; revisit stopBodyDecoding');
  queue.prototype.addBody = () => {};
}

stopBodyDecoding();

async function run(params: CannonParams): Promise<CannonResult> {
  const result = await autocannon({
    url: params.url,
    connections: params.connections,
    duration: params.durationS,
    pipelining: 1,
    headers: params.headers ?? {},
  });
  const total = result.requests.total || 1;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bytesPerRequest: result.throughput.total / total,
  };
}

serve({ run });
