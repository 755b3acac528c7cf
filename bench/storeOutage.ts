// A ClickHouse server stalled (SIGSTOP) and then killed (kill -9) under sustained ingest, against
// the same server up, in one run: the Fleetwall server in a process of its own in server mode
// (CLICKHOUSE_URL) on the stand-in ClickHouse server of the tests (test/helpers/clickhouseStandIn.ts:
// the HTTP interface over the real engine), dataloggers sending over HTTP and sending refused
// batches again. Figures per phase: the server's RSS, how long answers take (against the store
// timeout while stalled), how long until batches are taken again, and that every acknowledged
// batch is stored once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/config.ts';
import { createStore, rows } from '../server/db/store.ts';
import { startClickHouseStandIn } from '../test/helpers/clickhouseStandIn.ts';
import { api, root, startServer } from '../test/faults/serverProcess.ts';
import { fmt, percentile, syntheticFleet } from './lib.ts';

const PHASE_MS = Number(process.env.BENCH_PHASE_S ?? 10) * 1000;
const TIMEOUT_S = 3;
const LOGGERS = 8;
const fleet = syntheticFleet(100, 10);
const RECORDS_PER_DEVICE = 3;
/** Each logger reports for its own 1/LOGGERS of the fleet. */
const share = (logger: number) => fleet.devices.filter((_, i) => i % LOGGERS === logger).map((d) => d.sn);

const standIn = await startClickHouseStandIn();
const dataDir = mkdtempSync(join(tmpdir(), 'fleetwall-outage-'));
const server = await startServer(dataDir, 0, { ...standIn.env, FLEETWALL_STORE_TIMEOUT: String(TIMEOUT_S), LOG_LEVEL: 'error' });
const registered = await api(server.base, 'POST', '/api/v1/registry', fleet);
if (!registered.ok) throw new Error(`registry: ${registered.status}`);

type Phase = 'up' | 'stalled' | 'resumed' | 'killed' | 'restarted';
let phase: Phase = 'up';
const answers: { phase: Phase; ms: number; status: number; at: number }[] = [];
const rss: { phase: Phase; mib: number }[] = [];
const acknowledged = new Map<string, number>();
let running = true;
let k = 0;

async function logger(n: number): Promise<void> {
  const sns = share(n);
  let pending: { batch_id: string; records: object[] } | null = null;
  for (let b = 0; running || pending; b++) {
    if (!pending) {
      const records = [];
      for (let r = 0; r < RECORDS_PER_DEVICE; r++, k++) {
        const ts = new Date(Date.now() - 3 * 3_600_000 + k * 10).toISOString();
        for (const sn of sns) records.push({ sn, ts, status: 'normal', power_w: 1000 + (k % 500), e_today_kwh: k * 0.001 });
      }
      pending = { batch_id: `logger-${n}/${b}`, records };
    }
    const started = performance.now();
    const response = await fetch(`${server.base}/api/v1/telemetry`, { method: 'POST', headers: { ...root, 'content-type': 'application/json' }, body: JSON.stringify(pending) });
    await response.arrayBuffer();
    answers.push({ phase, ms: performance.now() - started, status: response.status, at: Date.now() });
    if (response.status === 200) {
      acknowledged.set(pending.batch_id, pending.records.length);
      pending = null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } else if (response.status === 503) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    } else {
      throw new Error(`${pending.batch_id}: ${response.status} ${await response.text()}`);
    }
  }
}

const sampler = setInterval(() => rss.push({ phase, mib: server.rssMiB() }), 100);
const loops = Array.from({ length: LOGGERS }, (_, n) => logger(n));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Ms from `since` until a batch sent after it is taken. */
async function untilTaken(since: number): Promise<number> {
  for (;;) {
    const taken = answers.find((a) => a.at > since && a.status === 200);
    if (taken) return taken.at - since;
    await sleep(20);
  }
}

await sleep(PHASE_MS);
phase = 'stalled';
standIn.pause();
await sleep(PHASE_MS);
phase = 'resumed';
const resumedAt = Date.now();
standIn.resume();
const resumedTaken = await untilTaken(resumedAt);
await sleep(PHASE_MS);
phase = 'killed';
await standIn.kill();
await sleep(PHASE_MS);
phase = 'restarted';
await standIn.restart();
const restartedAt = Date.now();
const restartedTaken = await untilTaken(restartedAt);
await sleep(PHASE_MS);
running = false;
await Promise.all(loops);
clearInterval(sampler);

const store = createStore(loadConfig({ ...standIn.env, FLEETWALL_DATA: dataDir }));
const stored = await rows<{ batch_id: string; n: number }>(store, 'SELECT batch_id, count() AS n FROM telemetry GROUP BY batch_id');
const storedCount = new Map(stored.map((r) => [r.batch_id, r.n]));
const storedOnce = [...acknowledged].every(([id, n]) => storedCount.get(id) === n) && stored.length === acknowledged.size;
await store.close();
server.child.kill('SIGTERM');
await server.exited;
await standIn.close();
rmSync(dataDir, { recursive: true, force: true });

const of = (p: Phase) => answers.filter((a) => a.phase === p);
const ms = (p: Phase) => of(p).map((a) => a.ms).sort((a, b) => a - b);
const rssMax = (p: Phase) => Math.max(...rss.filter((r) => r.phase === p).map((r) => r.mib));
const upP50 = percentile(ms('up'), 50);
const records = [...acknowledged.values()].reduce((a, b) => a + b, 0);
console.log(`store outage: ${LOGGERS} dataloggers, ${(fleet.devices.length / LOGGERS) * RECORDS_PER_DEVICE} records a batch, server mode on the stand-in, store timeout ${TIMEOUT_S} s, phases of ${PHASE_MS / 1000} s`);
for (const p of ['up', 'stalled', 'resumed', 'killed', 'restarted'] as Phase[]) {
  const list = ms(p);
  const refused = of(p).filter((a) => a.status === 503).length;
  console.log(
    `  ${p.padEnd(9)} answers ${String(list.length).padStart(4)} (${String(refused).padStart(3)} refused 503), p50 ${fmt(percentile(list, 50), 0)} ms, max ${fmt(list.at(-1) ?? 0, 0)} ms; server RSS max ${fmt(rssMax(p), 0)} MiB (ratio to up ${fmt(rssMax(p) / rssMax('up'), 2)})`
  );
}
const upMax = ms('up').at(-1)!;
const stalledMax = ms('stalled').at(-1)!;
// A batch that was waiting its turn behind the one in flight when the store stalled waits out
// both: the store timeout is the bound beyond an ordinary wait.
console.log(`  stalled: slowest answer ${fmt(stalledMax / 1000, 2)} s against the ${TIMEOUT_S} s store timeout plus the slowest answer up, ${fmt(upMax / 1000, 2)} s (ratio ${fmt(stalledMax / (TIMEOUT_S * 1000 + upMax), 2)})`);
console.log(`  killed: answers p50 ${fmt(percentile(ms('killed'), 50), 0)} ms, refused at once, against p50 ${fmt(upP50, 0)} ms up`);
console.log(`  batches taken again ${fmt(resumedTaken / 1000, 2)} s after SIGCONT, ${fmt(restartedTaken / 1000, 2)} s after the restarted store listens (the probe asks every 2 s)`);
console.log(`  acknowledged ${acknowledged.size} batches (${records} records): ${storedOnce ? 'every one stored exactly once' : 'NOT all stored exactly once'}`);
if (!storedOnce) process.exit(1);
