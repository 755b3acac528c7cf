// Hard kill under sustained ingest: clients post batches while the server is killed with SIGKILL
// at a random moment, round after round. After every kill the store is read as the next start
// would find it: every batch that was answered 200 is there whole, no batch is there more than
// once, and the rollups agree with the raw table. At the end the unanswered batches are sent
// again (as a client would) and every batch is there exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fleet } from '../helpers/fleet.ts';
import { api, queryStore, startServer, type ServerProcess } from './serverProcess.ts';

export interface KillRoundsOptions {
  rounds: number;
  /** Clients posting at once. */
  senders?: number;
  /** After its first answer, a round's ingest runs this long (at random within the range) before the kill. */
  killAfterMs?: [number, number];
  onRound?: (round: number, report: RoundCheck) => void;
}

export interface RoundCheck {
  acked: number;
  /** Batches sent but not answered 200 (in flight at the kill). */
  unanswered: number;
  /** Acknowledged batches missing or short in the store (must be 0). */
  lost: string[];
  /** Batches stored more than once (must be 0). */
  doubled: string[];
  /** Plants whose rollup differs from max-then-sum over the raw table (must be 0). */
  rollupMismatches: string[];
  /** Unanswered batches the store has whole anyway (the kill came between store and answer). */
  storedUnanswered: number;
}

export interface KillRoundsResult {
  rounds: RoundCheck[];
  final: RoundCheck;
  batches: number;
  records: number;
}

const RECORDS_PER_DEVICE = 10;
const STEP_MS = 100;

/** A batch: every device of the test fleet, RECORDS_PER_DEVICE records each, all later than the batch before. */
function batchAt(k: number, t0: number) {
  const records = [];
  for (let i = 0; i < RECORDS_PER_DEVICE; i++) {
    const at = t0 + (k * RECORDS_PER_DEVICE + i) * STEP_MS;
    for (const d of fleet.devices) {
      records.push({ sn: d.sn, ts: new Date(at).toISOString(), status: 'normal', power_w: 1000 + (k % 7) * 10, e_today_kwh: Math.round((k * RECORDS_PER_DEVICE + i) * 0.01 * 1000) / 1000, e_total_kwh: 1000 + k });
    }
  }
  return { batch_id: `kill-${k}`, records };
}

const CHECKS = {
  perBatch: 'SELECT batch_id, count() AS n FROM telemetry GROUP BY batch_id',
  fromRaw: `SELECT plant_id, round(sum(day), 6) AS kwh FROM (SELECT plant_id, sn, local_date, max(e_today_kwh) AS day FROM telemetry GROUP BY plant_id, sn, local_date) GROUP BY plant_id ORDER BY plant_id`,
  fromRollup: 'SELECT plant_id, round(sum(kwh), 6) AS kwh FROM plant_yearly_energy GROUP BY plant_id ORDER BY plant_id',
  dailyFromRaw: 'SELECT sn, local_date, max(e_today_kwh) AS kwh, count() AS n FROM telemetry GROUP BY sn, local_date ORDER BY sn, local_date',
  dailyRollup: 'SELECT sn, local_date, max(e_today_max) AS kwh, sum(records) AS n FROM device_daily GROUP BY sn, local_date ORDER BY sn, local_date'
};

async function check(dataDir: string, sent: Map<string, number>, acked: Set<string>): Promise<RoundCheck> {
  const found = await queryStore<Record<string, string | number>>(dataDir, CHECKS);
  const stored = new Map(found.perBatch.map((r) => [String(r.batch_id), Number(r.n)]));
  const lost = [...acked].filter((id) => stored.get(id) !== sent.get(id));
  const doubled = [...stored].filter(([id, n]) => n > (sent.get(id) ?? 0)).map(([id]) => id);
  const rollupMismatches = found.fromRaw.filter((r, i) => JSON.stringify(r) !== JSON.stringify(found.fromRollup[i])).map((r) => String(r.plant_id));
  if (found.fromRaw.length !== found.fromRollup.length) rollupMismatches.push('plant count');
  if (JSON.stringify(found.dailyFromRaw) !== JSON.stringify(found.dailyRollup)) rollupMismatches.push('device_daily');
  const unanswered = [...sent.keys()].filter((id) => !acked.has(id));
  return {
    acked: acked.size,
    unanswered: unanswered.length,
    lost,
    doubled,
    rollupMismatches,
    storedUnanswered: unanswered.filter((id) => stored.get(id) === sent.get(id)).length
  };
}

export async function runKillRounds(opts: KillRoundsOptions): Promise<KillRoundsResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetwall-kill-'));
  const senders = opts.senders ?? 4;
  const [minMs, maxMs] = opts.killAfterMs ?? [300, 2_000];
  const t0 = Date.now() - 6 * 3_600_000;
  const sent = new Map<string, number>();
  const acked = new Set<string>();
  const rounds: RoundCheck[] = [];
  let next = 0;
  let port = 0;
  try {
    for (let round = 0; round < opts.rounds; round++) {
      const server = await startServer(dataDir, port);
      port = server.port;
      if (round === 0) {
        const registered = await api(server.base, 'POST', '/api/v1/registry', fleet);
        if (registered.status !== 200) throw new Error(`registry: ${registered.status} ${await registered.text()}`);
      }
      let killed = false;
      // The kill comes at a random moment after the round's first answer, so that every round
      // has acknowledged batches to lose, however slowly a loaded machine answers.
      let firstAnswer!: () => void;
      const answered = new Promise<void>((resolve) => (firstAnswer = resolve));
      const send = async () => {
        while (!killed) {
          const batch = batchAt(next++, t0);
          sent.set(batch.batch_id, batch.records.length);
          try {
            const answer = await api(server.base, 'POST', '/api/v1/telemetry', batch);
            if (answer.status === 200) {
              acked.add(batch.batch_id);
              firstAnswer();
            } else if (!killed) throw new Error(`telemetry answered ${answer.status}: ${await answer.text()}`);
          } catch (error) {
            if (!killed) throw error;
          }
        }
      };
      const sending = Array.from({ length: senders }, send);
      await Promise.race([
        answered,
        Promise.all(sending).then(() => {
          throw new Error('no batch was answered before the senders stopped');
        })
      ]);
      await new Promise((resolve) => setTimeout(resolve, minMs + Math.random() * (maxMs - minMs)));
      killed = true;
      server.child.kill('SIGKILL');
      await server.exited;
      await Promise.all(sending);
      // The next start completes what the kill cut off; the store is read as that start leaves it.
      const restarted = await startServer(dataDir, port);
      restarted.child.kill('SIGTERM');
      const stopped = await restarted.exited;
      if (stopped.code !== 0) throw new Error(`restarted server stopped with ${stopped.code}: ${restarted.stderr()}`);
      const report = await check(dataDir, sent, acked);
      rounds.push(report);
      opts.onRound?.(round, report);
    }
    // The client's retries: everything not answered goes again, to a restarted server.
    const server: ServerProcess = await startServer(dataDir, port);
    for (const id of [...sent.keys()].filter((id) => !acked.has(id))) {
      const answer = await api(server.base, 'POST', '/api/v1/telemetry', batchAt(Number(id.slice('kill-'.length)), t0));
      if (answer.status !== 200) throw new Error(`retry of ${id} answered ${answer.status}: ${await answer.text()}`);
      acked.add(id);
    }
    server.child.kill('SIGTERM');
    await server.exited;
    const final = await check(dataDir, sent, acked);
    return { rounds, final, batches: sent.size, records: [...sent.values()].reduce((a, b) => a + b, 0) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
