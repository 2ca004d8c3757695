/** Starting a bare baseline server (a bench/ script with a `listen` method) in its own process. */
import { forkBench, stopProcess } from './procs.ts';
import { Remote } from './rpc.ts';

export interface BareServer {
  url: string;
  pid: number;
  remote: Remote;
  stop(): Promise<void>;
}

export async function startBare(
  script: string,
  env: NodeJS.ProcessEnv = process.env,
  listen: object = {},
): Promise<BareServer> {
  const remote = new Remote(forkBench(script, env), script);
  await remote.ready;
  const port = await remote.call<number>('listen', listen);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: remote.child.pid!,
    remote,
    stop: () => stopProcess(remote.child, 5_000),
  };
}
