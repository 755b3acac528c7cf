// Rollup cost: insert throughput into the raw table with every materialized view attached,
// against the same rows into a copy with none, in the same run; and the active part count of
// every table during a sustained run, which must stay bounded (merges keep up with inserts).
import { insertColumns, rows } from '../server/db/store.ts';
import { benchApp, fmt } from './lib.ts';

const BLOCK = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const SUSTAINED = Number(process.env.BENCH_SUSTAINED ?? 120);
const COLUMNS = [
  'sn', 'plant_id', 'ts', 'local_date', 'status', 'power_w', 'e_today_kwh', 'e_total_kwh', 'e_delta_kwh', 'p_delta_w',
  'pv_v', 'pv_i', 'pv_p', 'battery_soc', 'battery_power_w', 'grid_power_w', 'load_power_w', 'temperature_c', 'fault_code',
  'batch_id', 'received_at'
] as const;

const { app } = await benchApp();
await app.store.command({ query: 'CREATE TABLE bench_plain AS telemetry' });

// 10k devices in 1,000 plants, one report each per round, five minutes apart.
const start = Date.now() - 12 * 3_600_000;
const today = new Date().toISOString().slice(0, 10);
function block(round: number): unknown[][] {
  const ts = start + round * 300_000;
  return Array.from({ length: BLOCK }, (_, i) => [
    `S${Math.floor(i / 10)}-${i % 10}`, `p${Math.floor(i / 10)}`, ts + (i % 300) * 1000, today, 'normal', 5000 + (i % 1000),
    round * 0.4, 10_000 + round, 0.4, i % 7 === 0 ? 25 : 0, [600], [8.3], [null], null, null, null, null, 35, null, '', Date.now()
  ]);
}

async function timed(table: string, round: number): Promise<number> {
  const data = block(round);
  const t = performance.now();
  await insertColumns(app.store, table, COLUMNS, data);
  return performance.now() - t;
}

await timed('bench_plain', -1);
await timed('telemetry', -1);
let withViews = 0;
let without = 0;
for (let round = 0; round < ROUNDS; round++) {
  without += await timed('bench_plain', round);
  withViews += await timed('telemetry', round);
}
const rate = (ms: number) => (ROUNDS * BLOCK) / (ms / 1000);

// Sustained: SUSTAINED blocks back to back into the raw table with its views; parts sampled.
const partsOf = () =>
  rows<{ table: string; parts: number }>(app.store, 'SELECT table, count() AS parts FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table');
const peak = new Map<string, number>();
const t0 = performance.now();
for (let round = ROUNDS; round < ROUNDS + SUSTAINED; round++) {
  await timed('telemetry', round);
  if (round % 10 === 0) for (const { table, parts } of await partsOf()) peak.set(table, Math.max(peak.get(table) ?? 0, parts));
}
const sustainedRate = (SUSTAINED * BLOCK) / ((performance.now() - t0) / 1000);
const final = await partsOf();

console.log(`rollups: blocks of ${fmt(BLOCK, 0)} rows, ${ROUNDS} per figure; six materialized views on telemetry`);
console.log(`  with all views ${fmt(rate(withViews), 0)} rows/s, without ${fmt(rate(without), 0)} rows/s, ratio ${fmt(rate(withViews) / rate(without), 2)} (goal >= 0.4)`);
console.log(`  sustained ${fmt(SUSTAINED * BLOCK, 0)} rows into telemetry: ${fmt(sustainedRate, 0)} rows/s`);
const watched = ['telemetry', 'device_daily', 'device_latest', 'plant_daily_energy', 'plant_monthly_energy', 'plant_yearly_energy', 'plant_power_5min'];
console.log(
  `  active parts, peak during the run -> at the end: ${watched
    .map((table) => `${table} ${peak.get(table) ?? 0} -> ${final.find((p) => p.table === table)?.parts ?? 0}`)
    .join(', ')}`
);
await app.close();
