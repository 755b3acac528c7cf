// A graceful restart (SIGTERM) of a real server under ingest with many screens connected: batches
// in flight finish (200) or are refused with 503 + Retry-After, the process exits 0 within its
// bound, every screen is told, reconnects with the display's backoff and jitter once the server
// is back, and ends up showing the server's current figures. Also measured: how the
// reconnections spread, and the server's peak memory in the storm against its steady state.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Snapshot } from '../../server/contract.ts';
import { fleet } from '../helpers/fleet.ts';
import { api, queryStore, root, startServer, type ServerProcess } from './serverProcess.ts';

export interface StormResult {
  clients: number;
  /** Answers to batches sent around the stop: status (or error code) -> count. */
  outcomes: Record<string, number>;
  /** Batches whose connection closed without an answer, and how many of them the store holds (a batch taken in and never answered). */
  unanswered: number;
  unansweredStored: number;
  /** 503s without Retry-After or without a message (must be 0). */
  bare503: number;
  stopExit: number | null;
  stopMs: number;
  restartingSeen: number;
  resynced: number;
  /** Every screen shows its tenant's current figures. */
  figuresMatch: boolean;
  /** From starting the new process to it listening; the screens' resync times below include it. */
  listenMs: number;
  resyncMs: { p50: number; p90: number; max: number };
  /** Acknowledged batches missing from the store after the restart (must be 0). */
  lost: number;
  acked: number;
  rssSteadyMiB: number;
  rssPeakMiB: number;
}

const status = (pid: number, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? NaN;

let k = 0;
function batch(t0: number) {
  const id = `storm-${k++}`;
  const ts = new Date(t0 + k * 1000).toISOString();
  return { batch_id: id, records: fleet.devices.map((d) => ({ sn: d.sn, ts, status: 'normal', power_w: 1000 + (k % 50), e_today_kwh: k * 0.01 })) };
}

export async function runRestartStorm(opts: { clients: number; senders?: number; readyTimeoutMs?: number }): Promise<StormResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetwall-storm-'));
  const t0 = Date.now() - 4 * 3_600_000;
  let server: ServerProcess | null = await startServer(dataDir);
  try {
    const port = server.port;
    if ((await api(server.base, 'POST', '/api/v1/registry', fleet)).status !== 200) throw new Error('registry refused');
    const screens: { id: string; token: string }[] = [];
    for (const tenant of ['dist', 'cust-nz', 'cust-us']) screens.push((await (await api(server.base, 'POST', '/api/v1/screens', { tenant_id: tenant, name: `Wall ${tenant}` })).json()) as { id: string; token: string });
    await api(server.base, 'POST', '/api/v1/telemetry', batch(t0));
    const clients = spawn(process.execPath, ['--import', 'tsx', 'test/faults/screenClients.ts', server.base, String(opts.clients), screens.map((s) => s.token).join(',')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: clients.stdout });
    const waiting: ((msg: Record<string, unknown>) => void)[] = [];
    lines.on('line', (line) => waiting.shift()?.(JSON.parse(line) as Record<string, unknown>));
    const nextMessage = (timeoutMs: number) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`screen clients silent for ${timeoutMs} ms`)), timeoutMs);
        waiting.push((msg) => {
          clearTimeout(timer);
          resolve(msg);
        });
      });
    const report = async () => {
      clients.stdin.write('report\n');
      return (await nextMessage(30_000)) as unknown as { connected: number; restartingSeen: number; resynced: number; delaysMs: number[]; figures: Record<string, number> };
    };
    try {
      await nextMessage(opts.readyTimeoutMs ?? 120_000);
      const rssSteadyMiB = status(server.child.pid!, 'VmRSS');

      // Ingest under way, then SIGTERM.
      const outcomes: Record<string, number> = {};
      let bare503 = 0;
      const acked = new Map<string, number>();
      // Batches whose connection failed without an answer (other than a refused connection).
      const unanswered = new Set<string>();
      let sending = true;
      const base = server.base;
      const send = async () => {
        while (sending) {
          const b = batch(t0);
          try {
            const answer = await fetch(`${base}/api/v1/telemetry`, { method: 'POST', headers: { ...root, 'content-type': 'application/json' }, body: JSON.stringify(b) });
            outcomes[answer.status] = (outcomes[answer.status] ?? 0) + 1;
            const body = (await answer.json()) as { message?: string };
            if (answer.status === 200) acked.set(b.batch_id, b.records.length);
            if (answer.status === 503 && (!answer.headers.get('retry-after') || !body.message)) bare503++;
          } catch (error) {
            const code = ((error as { cause?: { code?: string } }).cause?.code ?? 'error') as string;
            outcomes[code] = (outcomes[code] ?? 0) + 1;
            if (code === 'ECONNREFUSED') await new Promise((resolve) => setTimeout(resolve, 50));
            else unanswered.add(b.batch_id);
          }
        }
      };
      const senders = Array.from({ length: opts.senders ?? 4 }, send);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const stopAt = Date.now();
      server.child.kill('SIGTERM');
      const exit = await server.exited;
      const stopMs = Date.now() - stopAt;
      await new Promise((resolve) => setTimeout(resolve, 300));
      sending = false;
      await Promise.all(senders);
      const told = await report();

      // Back on the same port: the screens find it by themselves.
      clients.stdin.write('mark\n');
      const restartAt = Date.now();
      server = await startServer(dataDir, port);
      const listenMs = Date.now() - restartAt;
      await api(server.base, 'POST', '/api/v1/telemetry', batch(t0));
      const current = async () => {
        const out: Record<string, string> = {};
        for (const s of screens) {
          const snap = (await (await fetch(`${server!.base}/api/v1/screens/${s.id}/snapshot`, { headers: { authorization: `Bearer ${s.token}` } })).json()) as Snapshot;
          out[snap.tenant.id] = JSON.stringify({ tenant: snap.tenant.id, kpi: snap.kpi, status: snap.status });
        }
        return out;
      };
      let last = await report();
      let figuresMatch = false;
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline) {
        last = await report();
        const now = await current();
        const expected = new Set(Object.values(now));
        figuresMatch = last.resynced === opts.clients && Object.keys(last.figures).every((key) => expected.has(key));
        if (figuresMatch) break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      const rssPeakMiB = status(server.child.pid!, 'VmHWM');
      const delays = [...last.delaysMs].sort((a, b) => a - b);

      server.child.kill('SIGTERM');
      await server.exited;
      server = null;
      const stored = await queryStore<{ batch_id: string; n: number }>(dataDir, { perBatch: "SELECT batch_id, count() AS n FROM telemetry WHERE startsWith(batch_id, 'storm-') GROUP BY batch_id" });
      const found = new Map(stored.perBatch.map((r) => [r.batch_id, Number(r.n)]));
      clients.stdin.write('close\n');
      return {
        clients: opts.clients,
        outcomes,
        bare503,
        stopExit: exit.code,
        stopMs,
        restartingSeen: told.restartingSeen,
        resynced: last.resynced,
        figuresMatch,
        listenMs,
        resyncMs: { p50: pct(delays, 0.5), p90: pct(delays, 0.9), max: delays.at(-1) ?? NaN },
        lost: [...acked].filter(([id, n]) => found.get(id) !== n).length,
        unanswered: unanswered.size,
        unansweredStored: [...unanswered].filter((id) => found.has(id)).length,
        acked: acked.size,
        rssSteadyMiB,
        rssPeakMiB
      };
    } finally {
      clients.kill();
    }
  } finally {
    if (server) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * What the batches around a stop may meet: an answer, 200 or 503 (with Retry-After, counted apart
 * as bare503), or a connection error. A batch sent on a keep-alive connection in the instant the
 * stopping server closes it as idle meets a closed socket (any HTTP/1.1 server's race; the client
 * sends it again): the server never read it, so the store must not hold it, while one it took in
 * was always answered. Returns what breaks that, empty when nothing does.
 */
export function strayOutcomes(result: Pick<StormResult, 'outcomes' | 'unansweredStored'>): string[] {
  const stray = Object.keys(result.outcomes).filter((k) => !['200', '503'].includes(k) && !/^E[A-Z_]+$|^UND_ERR_[A-Z_]+$/.test(k));
  if (result.unansweredStored > 0) stray.push(`${result.unansweredStored} batch(es) stored but never answered`);
  return stray;
}
