/** autocannon in its own process, so its CPU is not the server's: one GET target per call. */
import autocannon from 'autocannon';
import { serve } from '../lib/rpc.ts';

export interface CannonParams { url: string; connections: number; durationS: number; headers?: Record<string, string> }
export interface CannonResult { rps: number; p50: number; p99: number; non2xx: number; errors: number; bytesPerRequest: number }

async function run(params: CannonParams): Promise<CannonResult> {
  const result = await autocannon({ url: params.url, connections: params.connections, duration: params.durationS, pipelining: 1, headers: params.headers ?? {} });
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
