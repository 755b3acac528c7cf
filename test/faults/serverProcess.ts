// A real Fleetwall server process (server/main.ts, with the flags of `npm run serve`) on its own data directory,
// to be killed, stopped and started again; and a one-off process that reads that directory's
// store when no server holds it (libchdb binds one directory per process).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { SERVER_NODE_FLAGS } from '../helpers/serverFlags.ts';

export const ROOT_KEY = 'fault-root-key-0123456789';
export const root = { authorization: `Bearer ${ROOT_KEY}` };

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  base: string;
  /** Everything the process wrote to stderr, for failure messages. */
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal) and the time since asked to stop. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  rssMiB(): number;
}

/** Starts the server on dataDir; port 0 picks a free one. Resolves once it listens. */
export async function startServer(dataDir: string, port = 0, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, FLEETWALL_DATA: dataDir, FLEETWALL_DEMO: 'off', FLEETWALL_ROOT_KEY: ROOT_KEY, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-4000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const lines = createInterface({ input: child.stdout! });
  const listening = await Promise.race([
    new Promise<number>((resolve) => lines.on('line', (line) => {
      const m = /Fleetwall is running at http:\/\/localhost:(\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    })),
    exited.then(({ code }) => { throw new Error(`server exited (${code}) before listening: ${errors}`); }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`server did not listen within 120 s: ${errors}`)), 120_000).unref())
  ]);
  return {
    child,
    port: listening,
    base: `http://127.0.0.1:${listening}`,
    stderr: () => errors,
    exited,
    rssMiB: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024
  };
}

/** Runs SQL on dataDir's store in a process of its own (the server must not be running) and returns the rows. */
export async function queryStore<T>(dataDir: string, queries: Record<string, string>): Promise<Record<string, T[]>> {
  const script = `
    import { createStore, rows } from './server/db/store.ts';
    const store = createStore({ dataDir: ${JSON.stringify(dataDir)}, clickhouse: null });
    const out = {};
    for (const [name, sql] of Object.entries(${JSON.stringify(queries)})) out[name] = await rows(store, sql);
    await store.close();
    process.stdout.write(JSON.stringify(out));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`store query failed (${code}): ${err}`);
  return JSON.parse(out) as Record<string, T[]>;
}

export async function api(base: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(base + path, { method, headers: { ...root, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
}
