// The wall's snapshot for the top tenant (the distributor) of a fleet at scale: 100k plants,
// 1M devices, 10k tenants, five years of daily history (bench/fixture.ts, built once and cached).
// Figures: the server's start over it (registry and live state rebuilt from the rollups: time and
// RSS, and what each rebuild query costs), p50/p95 of building the snapshot in memory and of
// GET /api/v1/screens/:id/snapshot, and the same figures computed from the raw table in the same
// run, compared for equality first. BENCH_PLANTS=10000 for a quick run.
import type { ClickHouseClient } from '@clickhouse/client';
import { deviceLifetimeEnergy } from '../aggregates/queries/deviceLifetimeEnergy.ts';
import { deviceMonthlyEnergy } from '../aggregates/queries/deviceMonthlyEnergy.ts';
import { deviceRecentDailyMaxima } from '../aggregates/queries/deviceRecentDailyMaxima.ts';
import { latestDeviceRecords } from '../aggregates/queries/latestDeviceRecords.ts';
import { plantDailyEnergy } from '../aggregates/queries/plantDailyEnergy.ts';
import { plantMonthlyEnergy } from '../aggregates/queries/plantMonthlyEnergy.ts';
import { plantPowerBuckets } from '../aggregates/queries/plantPowerBuckets.ts';
import { plantYearlyEnergy } from '../aggregates/queries/plantYearlyEnergy.ts';
import { registryDevices } from '../aggregates/queries/registryDevices.ts';
import { registryPlants } from '../aggregates/queries/registryPlants.ts';
import { registryTenants } from '../aggregates/queries/registryTenants.ts';
import type { Snapshot } from '../server/contract.ts';
import { rows } from '../server/db/store.ts';
import { round } from '../server/live/round.ts';
import { buildSnapshot } from '../server/live/view.ts';
import { addDays, addMonths, localDate } from '../server/time/zones.ts';
import { ensureFixture, fixtureDir } from './fixture.ts';
import { benchApp, fmt, percentile } from './lib.ts';

const TOP = 'd';
const RAW_RUNS = Number(process.env.BENCH_RAW_RUNS ?? 3);
const began = performance.now();
/** Progress on stderr: a run at full scale takes minutes. */
const progress = (msg: string) => console.error(`  [${((performance.now() - began) / 1000).toFixed(0)} s] ${msg}`);
const rssMiB = () => process.memoryUsage().rss / 2 ** 20;
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), n: samples.length };
};
async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await run();
  return [value, performance.now() - t];
}

const meta = ensureFixture();
const now = meta.now;
const rssBefore = rssMiB();
const [{ app }, startMs] = await timed(() => benchApp({}, () => now, fixtureDir()));
const rssStarted = rssMiB();
progress(`server started in ${(startMs / 1000).toFixed(1)} s`);
const tree = app.registry.tree;

// In memory: the first build fills the plant summaries; later ones are what a room pays each second.
let t = performance.now();
const snapshot = buildSnapshot(app.registry, app.live, TOP, now, app.branding);
const firstBuildMs = performance.now() - t;
for (let i = 0; i < 10; i++) buildSnapshot(app.registry, app.live, TOP, now, app.branding);
const build: number[] = [];
for (let i = 0; i < 100; i++) {
  t = performance.now();
  buildSnapshot(app.registry, app.live, TOP, now, app.branding);
  build.push(performance.now() - t);
}

progress('snapshot built in memory');
const screen = await app.credentials.createScreen(TOP, 'fleet-snapshot bench');
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const http: number[] = [];
let bytes = 0;
for (let i = 0; i < 30; i++) {
  t = performance.now();
  const body = await (await fetch(`${base}/api/v1/screens/${screen.id}/snapshot`, { headers: { authorization: `Bearer ${screen.token}` } })).text();
  http.push(performance.now() - t);
  bytes = Buffer.byteLength(body);
}

const b = stats(build);
const h = stats(http);
console.log(
  `fleet snapshot: top tenant of ${fmt(meta.plants, 0)} plants, ${fmt(meta.devices, 0)} devices, ${fmt(1 + meta.installers + meta.customers, 0)} tenants; ` +
    `${fmt(meta.rawRows, 0)} raw records (5 years, ${meta.stride === 1 ? 'daily' : `each device one day in ${meta.stride}`}; today every 5 minutes)`
);
console.log(`  fixture: made in ${fmt(meta.buildSeconds / 60, 1)} min, ${fmt(meta.diskBytes / 2 ** 30, 1)} GiB on disk (cached at ${fixtureDir()}); ${meta.sampleCheck}`);
console.log(`  server start over it (migrations, registry, live state rebuilt from the rollups): ${fmt(startMs / 1000, 1)} s, RSS ${fmt(rssBefore, 0)} -> ${fmt(rssStarted, 0)} MiB`);
console.log(`  build in memory: first ${fmt(firstBuildMs, 0)} ms, then p50 ${fmt(b.p50, 2)} ms, p95 ${fmt(b.p95, 2)} ms (n=${b.n}; goal p95 <= 50 ms)`);
console.log(`  GET /api/v1/screens/:id/snapshot: p50 ${fmt(h.p50, 1)} ms, p95 ${fmt(h.p95, 1)} ms, ${fmt(bytes / 2 ** 20, 1)} MiB (n=${h.n})`);
// The same figures from raw records, by the contract's definitions: a device's day energy is its
// largest e_today_kwh that plant-local day; today sums each plant's own current date; a device
// counts with its latest record, offline when that is older than offline_after.
const plants = tree.plantsOf(TOP);
const todayOf = plants.map((id) => localDate(now, tree.plants.get(id)!.timezone));
// Two passes over the raw rows: energy by date, then each device's latest state and lifetime.
const RAW_DATES = `
  SELECT arraySort(groupArray((toString(local_date), kwh))) AS dates, sum(today_part) AS today_kwh
  FROM (
    SELECT local_date, sum(day_kwh) AS kwh, sumIf(day_kwh, concat(plant_id, '|', toString(local_date)) IN {todays:Array(String)}) AS today_part
    FROM (
      SELECT plant_id, sn, local_date, max(e_today_kwh) AS day_kwh FROM telemetry
      WHERE plant_id IN {plants:Array(String)} GROUP BY plant_id, sn, local_date
    )
    GROUP BY local_date
  )
  SETTINGS max_bytes_before_external_group_by = 2000000000`;
const RAW_DEVICES = `
  SELECT countIf(live AND status = 'normal') AS normal, countIf(live AND status = 'standby') AS standby,
         countIf(live AND status = 'protect') AS protect, countIf(live AND status = 'fault') AS fault,
         sumIf(power_w, live) AS power_w, sum(ifNull(e_total, energy)) AS total_kwh
  FROM (
    SELECT sn, sum(day_kwh) AS energy, max(day_total) AS e_total, argMax(day_status, day_ts) AS status,
           argMax(day_power, day_ts) AS power_w, max(day_ts) >= {live_since:DateTime64(3, 'UTC')} AS live
    FROM (
      SELECT sn, local_date, max(e_today_kwh) AS day_kwh, max(ts) AS day_ts, argMax(status, ts) AS day_status,
             argMax(power_w, ts) AS day_power, max(e_total_kwh) AS day_total
      FROM telemetry WHERE plant_id IN {plants:Array(String)} GROUP BY sn, local_date
    )
    GROUP BY sn
  )
  SETTINGS max_bytes_before_external_group_by = 2000000000`;
interface RawRow {
  dates: [string, number][];
  today_kwh: number;
  normal: number;
  standby: number;
  protect: number;
  fault: number;
  power_w: number;
  total_kwh: number;
}
const rawParams = { plants, todays: plants.map((id, i) => `${id}|${todayOf[i]}`), live_since: (now - app.config.offlineAfterMs) / 1000 };
const raw: number[] = [];
let rawRow: RawRow | undefined;
for (let i = 0; i < RAW_RUNS; i++) {
  const [found, ms] = await timed(async () => {
    const [dates] = await rows<Pick<RawRow, 'dates' | 'today_kwh'>>(app.store, RAW_DATES, rawParams);
    const [devices] = await rows<Omit<RawRow, 'dates' | 'today_kwh'>>(app.store, RAW_DEVICES, rawParams);
    return { ...dates, ...devices };
  });
  rawRow = found;
  raw.push(ms);
  progress(`raw table: ${(ms / 1000).toFixed(1)} s`);
}

/** The snapshot's figures as the raw table gives them, in the snapshot's shapes and rounding. */
function fromRaw(r: RawRow): Pick<Snapshot, 'status'> & { kpi: object; series: object } {
  const byDate = new Map(r.dates);
  const end = todayOf.reduce((a, b) => (b > a ? b : a));
  const sumWhere = (keep: (date: string) => boolean) => round(r.dates.reduce((s, [d, kwh]) => (keep(d) ? s + kwh : s), 0));
  const year = Number(end.slice(0, 4));
  const all = plants.reduce((n, id) => n + tree.devicesOf(id).length, 0);
  const live = r.normal + r.standby + r.protect + r.fault;
  return {
    status: { all, normal: r.normal, standby: r.standby, protect: r.protect, fault: r.fault, offline: all - live },
    kpi: { power_w: round(r.power_w, 1), today_kwh: round(r.today_kwh), total_kwh: round(r.total_kwh) },
    series: {
      days: Array.from({ length: 30 }, (_, i) => addDays(end, i - 29)).map((date) => ({ date, kwh: round(byDate.get(date) ?? 0) })),
      months: Array.from({ length: 12 }, (_, i) => addMonths(`${year}-01`, i)).map((month) => ({ month, kwh: sumWhere((d) => d.startsWith(month)) })),
      years: Array.from({ length: 5 }, (_, i) => year - 4 + i).map((y) => ({ year: y, kwh: sumWhere((d) => d.startsWith(`${y}-`)) }))
    }
  };
}
const ours = {
  status: snapshot.status,
  kpi: { power_w: snapshot.kpi.power_w, today_kwh: snapshot.kpi.today_kwh, total_kwh: snapshot.kpi.total_kwh },
  series: { days: snapshot.series.days, months: snapshot.series.months, years: snapshot.series.years }
};
const expected = fromRaw(rawRow!);
const equal = JSON.stringify(ours) === JSON.stringify(expected);

// What the start reads, query by query (the same arguments live state's rebuild passes).
const today = new Date(now).toISOString().slice(0, 10);
const startQueries: [string, (c: ClickHouseClient) => Promise<unknown[]>][] = [
  ['registryTenants', registryTenants],
  ['registryPlants', registryPlants],
  ['registryDevices', registryDevices],
  ['latestDeviceRecords', latestDeviceRecords],
  ['deviceLifetimeEnergy', deviceLifetimeEnergy],
  ['deviceRecentDailyMaxima', (c) => deviceRecentDailyMaxima(c, addDays(today, -3))],
  ['deviceMonthlyEnergy', (c) => deviceMonthlyEnergy(c, `${addMonths(today.slice(0, 7), -1)}-01`)],
  ['plantDailyEnergy', (c) => plantDailyEnergy(c, addDays(today, -40))],
  ['plantMonthlyEnergy', (c) => plantMonthlyEnergy(c, `${Number(today.slice(0, 4)) - 1}-01-01`)],
  ['plantYearlyEnergy', plantYearlyEnergy],
  ['plantPowerBuckets', (c) => plantPowerBuckets(c, now - 48 * 3_600_000)]
];
const breakdown: string[] = [];
for (const [name, query] of startQueries) {
  const [found, ms] = await timed(() => query(app.store));
  breakdown.push(`${name} ${fmt(ms / 1000, 2)} s (${fmt(found.length, 0)} rows)`);
}
// The lifetime query as it was before device_lifetime (011): every device's every day.
const [, oldLifetimeMs] = await timed(() =>
  rows(
    app.store,
    `SELECT sn, sum(day_kwh) AS energy_kwh, max(total_kwh) AS e_total_kwh
     FROM (SELECT sn, local_date, max(e_today_max) AS day_kwh, max(e_total_max) AS total_kwh FROM device_daily GROUP BY sn, local_date)
     GROUP BY sn`
  )
);
await app.close();

const r = stats(raw);
console.log(`  figures equal to the raw table's (power, today, status counts, 30 days, 12 months, 5 years, total): ${equal ? 'yes' : 'NO'}`);
if (!equal) console.log(`    snapshot ${JSON.stringify(ours)}\n    raw      ${JSON.stringify(expected)}`);
console.log(`  same figures from the raw table: p50 ${fmt(r.p50 / 1000, 1)} s, p95 ${fmt(r.p95 / 1000, 1)} s (n=${r.n})`);
console.log(`  ratio raw/in-memory build: p50 ${fmt(r.p50 / b.p50, 0)}x, p95 ${fmt(r.p95 / b.p95, 0)}x; raw/HTTP: p50 ${fmt(r.p50 / h.p50, 0)}x (goal >= 50x)`);
console.log(`  start, query by query: ${breakdown.join(', ')}`);
console.log(`    lifetime energy read the old way (device_daily, every day of every device): ${fmt(oldLifetimeMs / 1000, 1)} s`);
if (!equal) process.exit(1);
