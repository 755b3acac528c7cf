// A network link between the wall and the server that can go dark the way a pulled cable or a
// dead switch does: no FIN, no RST, bytes simply stop. A TCP proxy in front of the server stops
// moving bytes both ways (what was sent waits in the buffers, as TCP would retransmit it) and
// holds new connections unanswered; when the link is back, everything flows again.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Link {
  /** http://127.0.0.1:<port> of the proxy: open the wall here. */
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startLink(target: { host: string; port: number }): Promise<Link> {
  const pairs = new Set<[Socket, Socket]>();
  const waiting = new Set<Socket>();
  let dark = false;

  const flow = ([client, server]: [Socket, Socket]) => {
    client.pipe(server);
    server.pipe(client);
  };
  const stop = ([client, server]: [Socket, Socket]) => {
    client.unpipe(server);
    server.unpipe(client);
    client.pause();
    server.pause();
  };
  const join = (client: Socket) => {
    const server = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, server];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('error', drop).on('close', drop);
    server.on('error', drop).on('close', drop);
    if (dark) stop(pair);
    else flow(pair);
  };

  const proxy: Server = createServer((client) => {
    if (!dark) return join(client);
    // The SYN got through to us, but nothing gets to the server: the handshake hangs.
    client.pause();
    waiting.add(client);
    client.on('error', () => waiting.delete(client)).on('close', () => waiting.delete(client));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      dark = true;
      for (const pair of pairs) stop(pair);
    },
    restore() {
      dark = false;
      for (const pair of pairs) flow(pair);
      for (const client of waiting) join(client);
      waiting.clear();
    },
    async close() {
      for (const [client, server] of pairs) (client.destroy(), server.destroy());
      for (const client of waiting) client.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  };
}
