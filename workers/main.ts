/** The worker process: config → Redis → BullMQ workers; SIGTERM finishes jobs in flight, then exits. */
import { ConfigError, loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { onShutdownSignal } from '../src/shutdown.ts';
import { createWorkerNode } from './worker-node.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  const node = await createWorkerNode(config, logger);
  logger.info({ concurrency: config.workerConcurrency }, 'worker started');
  if (!config.publicUrl) logger.warn(`PUBLIC_URL is not set: push alerts will link to http://localhost:${config.port}`);
  onShutdownSignal(logger, config.shutdownTimeoutMs, () => node.close());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
