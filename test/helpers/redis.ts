// A real Redis server (Debian's redis-server) as a process of its own on a free port, for the
// tests of several instances: it can be restarted on the same port. Like a Redis that keeps
// nothing on disk, a restart loses every stream entry, which is the harder case for the instances.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RedisServer {
  url: string;
  /** SIGTERM, then the same port again: a restarted Redis, its streams gone. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRedis(): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not installed: the tests of several instances need it (Debian: apt-get install redis-server; .ci/run installs it)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'fleetwall-redis-'));
  const port = await freePort();
  let child: ChildProcess;
  let exited: Promise<void>;
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const lines = createInterface({ input: child.stdout! });
    await Promise.race([
      new Promise<void>((resolve) =>
        lines.on('line', (line) => {
          output = (output + line + '\n').slice(-4000);
          if (line.includes('Ready to accept connections')) resolve();
        })
      ),
      exited.then(() => {
        throw new Error(`redis-server exited before it was ready: ${output}`);
      }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`redis-server was not ready within 20 s: ${output}`)), 20_000).unref())
    ]);
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart() {
      await stop();
      await launch();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
