/** The API process: config → Redis → services → app → listen; SIGTERM/SIGINT close it in order. */
import { createApiNode } from './api-node.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { onShutdownSignal } from './shutdown.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'api');
  const node = await createApiNode(config, logger);
  // A connect storm after an alert arrives faster than accept() runs: a deep backlog keeps the kernel
  // from dropping those connections (Linux caps it at net.core.somaxconn).
  await node.app.listen({ port: config.port, host: config.host, backlog: 4096 });
  onShutdownSignal(logger, config.shutdownTimeoutMs, () => node.close());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
