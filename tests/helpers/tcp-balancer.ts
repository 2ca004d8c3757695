/**
 * A TCP load balancer on loopback, standing in for the proxy in front of the API nodes: new
 * connections go round-robin to the backends that accept them; a dead backend is skipped.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Balancer {
  url: string;
  /** Which backends (ports) take new connections. */
  setBackends(ports: number[]): void;
  close(): Promise<void>;
}

export async function startBalancer(ports: number[]): Promise<Balancer> {
  let backends = [...ports];
  let next = 0;
  const open = new Set<Socket>();

  function forward(client: Socket, attempt = 0): void {
    if (attempt >= backends.length) return void client.destroy();
    const port = backends[next++ % backends.length]!;
    const upstream = connect({ port, host: '127.0.0.1' });
    upstream.once('error', () => {
      upstream.destroy();
      if (!client.destroyed && upstream.bytesWritten === 0) forward(client, attempt + 1);
      else client.destroy();
    });
    upstream.once('connect', () => {
      open.add(upstream);
      client.pipe(upstream).pipe(client);
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.resume();
    });
  }

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on('error', () => client.destroy());
    client.on('close', () => open.delete(client));
    forward(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    setBackends(list) {
      backends = [...list];
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
