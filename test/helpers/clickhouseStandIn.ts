// Starts the stand-in ClickHouse server (clickhouseStandInMain.ts: the ClickHouse HTTP interface
// over the real engine) as a process of its own, so that tests of server mode can kill it, stop
// it and start it again on the same port and data directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ClickHouseStandIn {
  /** What CLICKHOUSE_URL and friends are set to. */
  env: { CLICKHOUSE_URL: string; CLICKHOUSE_USER: string; CLICKHOUSE_PASSWORD: string };
  port: number;
  dataDir: string;
  /** The process id of the stand-in running now. */
  pid(): number;
  /** kill -9: the store is gone at once, connections and all. */
  kill(): Promise<void>;
  /** SIGSTOP: the store still holds its connections but answers nothing. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Starts it again, on the same port and data directory. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const USER = 'fleetwall';
const PASSWORD = 'stand-in-secret';

export async function startClickHouseStandIn(): Promise<ClickHouseStandIn> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetwall-clickhouse-'));
  let child: ChildProcess;
  let exited: Promise<void>;
  const launch = async (port: number): Promise<number> => {
    child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/clickhouseStandInMain.ts'], {
      env: { ...process.env, STANDIN_DATA: dataDir, STANDIN_PORT: String(port), STANDIN_USER: USER, STANDIN_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let errors = '';
    child.stderr!.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-4000)));
    exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const lines = createInterface({ input: child.stdout! });
    return Promise.race([
      new Promise<number>((resolve) =>
        lines.on('line', (line) => {
          const m = /^listening on (\d+)$/.exec(line);
          if (m) resolve(Number(m[1]));
        })
      ),
      exited.then(() => {
        throw new Error(`the ClickHouse stand-in exited before listening: ${errors}`);
      }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the ClickHouse stand-in did not listen within 60 s: ${errors}`)), 60_000).unref())
    ]);
  };
  const port = await launch(0);
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
  };
  return {
    env: { CLICKHOUSE_URL: `http://127.0.0.1:${port}`, CLICKHOUSE_USER: USER, CLICKHOUSE_PASSWORD: PASSWORD },
    pid: () => child.pid!,
    port,
    dataDir,
    async kill() {
      signal('SIGKILL');
      await exited;
    },
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    async restart() {
      await launch(port);
    },
    async close() {
      signal('SIGCONT');
      signal('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
