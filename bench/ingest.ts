// Ingest throughput: records/s through POST /api/v1/telemetry (10k-record batches, every rollup
// on, real HTTP) against a raw insert of the same rows into a bare copy of the raw table (no
// views) in the same run. Rounds alternate so that both see the same machine.
import { insertRows } from '../server/db/store.ts';
import type { TelemetryRecord } from '../server/model.ts';
import { localDate } from '../server/time/zones.ts';
import { benchApp, fmt, ROOT, syntheticFleet } from './lib.ts';

const BATCH = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8); // even
const fleet = syntheticFleet(1_000, 10); // 10k devices: one batch = one report of each device

const { app } = await benchApp();
await app.registry.upsert({ kind: 'root' }, fleet);
await app.store.command({ query: 'CREATE TABLE bench_raw AS telemetry' });
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const plantOf = new Map(fleet.devices.map((d) => [d.sn, fleet.plants.find((p) => p.id === d.plant_id)!]));

function batch(round: number): TelemetryRecord[] {
  // Each round is five minutes later: every device's next report.
  const ts = Date.now() - 6 * 3_600_000 + round * 300_000;
  return fleet.devices.map((d, i) => ({
    sn: d.sn,
    ts: new Date(ts + (i % 300) * 1000).toISOString(),
    status: 'normal',
    power_w: 5000 + (i % 1000),
    e_today_kwh: (round + 100) * 0.4 + (i % 10) / 10,
    e_total_kwh: 10_000 + round,
    pv: [{ v: 600, i: 8.3 }],
    temperature_c: 35
  }));
}

function rawRows(records: TelemetryRecord[]) {
  return records.map((r) => {
    const plant = plantOf.get(r.sn)!;
    const ms = Date.parse(r.ts as string);
    return {
      sn: r.sn, plant_id: plant.id, ts: ms, local_date: localDate(ms, plant.timezone), status: r.status, power_w: r.power_w,
      e_today_kwh: r.e_today_kwh, e_total_kwh: r.e_total_kwh ?? null, e_delta_kwh: 0.4, p_delta_w: 0, pv_v: [600], pv_i: [8.3], pv_p: [null],
      battery_soc: null, battery_power_w: null, grid_power_w: null, load_power_w: null, temperature_c: 35, fault_code: null,
      batch_id: '', received_at: Date.now()
    };
  });
}

async function postBatch(round: number): Promise<void> {
  const body = JSON.stringify({ batch_id: `bench-${round}`, records: batch(round) });
  const response = await fetch(`${base}/api/v1/telemetry`, { method: 'POST', headers: { authorization: `Bearer ${ROOT}`, 'content-type': 'application/json' }, body });
  const answer = (await response.json()) as { accepted: number };
  if (answer.accepted !== BATCH) throw new Error(`round ${round}: ${JSON.stringify(answer).slice(0, 300)}`);
}

const rawInsert = (round: number) => insertRows(app.store, 'bench_raw', rawRows(batch(round)));

/** Records/s of `work` over `rounds` rounds with `inFlight` of them at a time. */
async function rate(work: (round: number) => Promise<void>, firstRound: number, rounds: number, inFlight: number): Promise<number> {
  const start = performance.now();
  for (let r = 0; r < rounds; r += inFlight) {
    await Promise.all(Array.from({ length: Math.min(inFlight, rounds - r) }, (_, k) => work(firstRound + r + k)));
  }
  return (rounds * BATCH) / ((performance.now() - start) / 1000);
}

// Warm-up, not counted: JIT, the engine's first parts.
await rawInsert(-20);
await postBatch(-20);

const results: string[] = [];
let round = 0;
for (const inFlight of [1, 2]) {
  let ours = 0;
  let raw = 0;
  // Alternate halves so that both see the same machine.
  for (let half = 0; half < 2; half++) {
    raw += await rate(rawInsert, round, ROUNDS / 2, inFlight);
    ours += await rate(postBatch, round, ROUNDS / 2, inFlight);
    round += ROUNDS / 2;
  }
  ours /= 2;
  raw /= 2;
  results.push(
    `  ${inFlight} batch(es) in flight: POST /api/v1/telemetry (all rollups) ${fmt(ours, 0)} records/s, raw insert (same rows, no views) ${fmt(raw, 0)} records/s, ratio ${fmt(ours / raw, 2)} (goal >= 0.5)`
  );
}

let cpuOurs = 0;
let parseCpu = 0;
// The embedded engine works inside this process: CPU spent while a store call is awaited is the
// engine's (nothing else runs then: one request at a time), the rest is the server's own.
let engineCpu = 0;
const store = app.store as unknown as Record<'insert' | 'query' | 'command', (...args: unknown[]) => Promise<unknown>>;
for (const method of ['insert', 'query', 'command'] as const) {
  const original = store[method].bind(store);
  store[method] = async (...args: unknown[]) => {
    const c = process.cpuUsage();
    try {
      return await original(...args);
    } finally {
      const d = process.cpuUsage(c);
      engineCpu += (d.user + d.system) / 1000;
    }
  };
}
for (let r = 0; r < 4; r++) {
  const body = JSON.stringify({ batch_id: `cpu-${r}`, records: batch(round + r) });
  let c = process.cpuUsage();
  await fetch(`${base}/api/v1/telemetry`, { method: 'POST', headers: { authorization: `Bearer ${ROOT}`, 'content-type': 'application/json' }, body });
  c = process.cpuUsage(c);
  cpuOurs += (c.user + c.system) / 1000;
  let p = process.cpuUsage();
  JSON.parse(body);
  p = process.cpuUsage(p);
  parseCpu += (p.user + p.system) / 1000;
}

console.log(`ingest: batches of ${fmt(BATCH, 0)} records, ${ROUNDS} per figure, 10k devices in 1,000 plants`);
for (const line of results) console.log(line);
const perRecord = (ms: number) => (ms / (4 * BATCH)) * 1000;
console.log(`  process CPU per record: ${fmt(perRecord(cpuOurs), 2)} µs, of which the embedded engine ${fmt(perRecord(engineCpu), 2)} µs`);
console.log(
  `  server CPU per record (without the engine): ${fmt(perRecord(cpuOurs - engineCpu), 2)} µs, JSON.parse of the same bytes ${fmt(perRecord(parseCpu), 2)} µs, ratio ${fmt((cpuOurs - engineCpu) / parseCpu, 1)} (goal <= 3)`
);
await app.close();
