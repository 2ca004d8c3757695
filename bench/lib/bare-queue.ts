/** Names of the bare BullMQ baseline (servers/hello-server.ts adds, servers/bare-worker.ts applies). */
export const BARE_QUEUE = 'bare-ops';
export const BARE_PREFIX = 'bench-bare';
/** Counter the bare worker increments per applied job, like our lastSeq. */
export const APPLIED_KEY = 'bench-bare:applied';
