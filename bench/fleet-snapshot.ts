// The wall's snapshot for the top tenant (the distributor) of a fleet at scale: 100k plants,
// 1M devices, 10k tenants, five years of history (bench/fixture.ts, built once and cached).
// Figures: the server's start over it (registry and live state rebuilt from the rollups: time and
// RSS, and what each rebuild query costs); (a) a room as the gateway keeps it, each second
// (LiveRooms.update + snapshot with a second of telemetry applied between seconds); (b) the cold
// build (buildSnapshot from scratch); (c) GET /api/v1/screens/:id/snapshot with a second of
// telemetry applied between requests (each pays for a new version of the room), per encoding, then
// a cache hit (same version) and a 304; and the same figures computed from the raw table in the
// same run, compared for equality first. BENCH_PLANTS=10000 for a quick run.
import type { ClickHouseClient } from '@clickhouse/client';
import { Agent, request } from 'node:http';
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
import { LiveRooms } from '../server/live/rooms.ts';
import { BUCKET_MS } from '../server/live/state.ts';
import { TelemetryBatch, type AppliedFields as AppliedRecord } from '../server/ingest/batch.ts';
import { dayNumber } from '../server/live/deviceColumns.ts';
import { buildSnapshot } from '../server/live/view.ts';
import { addDays, addMonths, localDate } from '../server/time/zones.ts';
import { ensureFixture, fixtureDir, PER_PLANT } from './fixture.ts';
import { benchApp, fmt, percentile } from './lib.ts';

const TOP = 'd';
const RAW_RUNS = Number(process.env.BENCH_RAW_RUNS ?? 3);
/** Seconds of clock the room is followed for. */
const ROOM_SECONDS = Number(process.env.BENCH_ROOM_SECONDS ?? 50);
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
/** The app's clock: the fixture's instant, moved on a second with each second of telemetry. */
let clock = now;
const rssBefore = rssMiB();
const [{ app }, startMs] = await timed(() => benchApp({}, () => clock, fixtureDir()));
const rssStarted = rssMiB();
progress(`server started in ${(startMs / 1000).toFixed(1)} s`);
const tree = app.registry.tree;

// (b) The cold build: a room summed from scratch (buildSnapshot, as the HTTP snapshot and the admin
// preview did before they read the live room), first with the plant summaries still
// empty, then with them filled.
let t = performance.now();
const snapshot = buildSnapshot(app.registry, app.live, TOP, now, app.branding);
const coldMs = performance.now() - t;
const fresh: number[] = [];
for (let i = 0; i < 10; i++) {
  t = performance.now();
  buildSnapshot(app.registry, app.live, TOP, now, app.branding);
  fresh.push(performance.now() - t);
}
progress('cold builds done');

const PER_SECOND = Math.round(meta.devices / 300);
const recordBase = { index: 0, e_total_kwh: null, pv: [], battery_soc: null, battery_power_w: null, grid_power_w: null, load_power_w: null, temperature_c: null, fault_code: null };
/** Device `dev`'s next report at `ts`, with the deltas ingest would compute from what live state knows. */
function report(dev: number, ts: number): AppliedRecord {
  const sn = `S${Math.floor(dev / PER_PLANT)}-${dev % PER_PLANT}`;
  const plant = tree.plants.get(tree.devices.get(sn)!.plant_id)!;
  const local_date = localDate(ts, plant.timezone);
  const power_w = (dev % PER_PLANT + 1) * 1000 + (ts % 500);
  const i = app.live.indexOf(sn);
  const previous = app.live.knownBucketTs(i, Math.floor(ts / BUCKET_MS)) === undefined ? 0 : app.live.knownBucketPower(i);
  const e_today_kwh = (app.live.knownDayMax(i, dayNumber(local_date)) ?? 0) + 0.25;
  return { ...recordBase, sn, tsMs: ts, status: 'normal', power_w, e_today_kwh, plant_id: plant.id, local_date, e_delta_kwh: 0.25, p_delta_w: power_w - previous };
}
let second = 0;
/** The next second of the fleet's telemetry into live state (outside any timing); the app's clock moves on with it. */
function nextSecond(): void {
  second++;
  clock = now + second * 1000;
  const batch = Array.from({ length: PER_SECOND }, (_, k) => report((second * PER_SECOND + k) % meta.devices, clock));
  app.live.apply(TelemetryBatch.of(batch), clock);
}

// (c) GET /api/v1/screens/:id/snapshot over real HTTP, timed to the last byte of the answer as
// sent (node:http, keep-alive; a compressed body is not decoded: that is the client's cost, and
// fetch's decoding alone took longer than the server's work on this machine). The first request
// opens the tenant's room for HTTP readers (not timed). Then, per encoding, a second of telemetry
// before each request, so that each pays for bringing the room to the new second and for a new
// version's bytes; then the same version again (the cached bytes) and a 304. One series with fetch
// and text(), as earlier runs of this bench measured, for comparison.
const screen = await app.credentials.createScreen(TOP, 'fleet-snapshot bench');
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const snapshotUrl = `${base}/api/v1/screens/${screen.id}/snapshot`;
const authorization = `Bearer ${screen.token}`;
const HTTP_RUNS = 30;
const agent = new Agent({ keepAlive: true });
interface HttpAnswer {
  ms: number;
  status: number;
  wire: number;
  etag: string;
}
function httpGet(headers: Record<string, string>): Promise<HttpAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(snapshotUrl, { agent, headers: { authorization, ...headers } }, (res) => {
      let wire = 0;
      res.on('data', (chunk: Buffer) => (wire += chunk.length));
      res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode!, wire, etag: String(res.headers.etag ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}
async function fetchGet(headers: Record<string, string>): Promise<HttpAnswer> {
  const started = performance.now();
  const response = await fetch(snapshotUrl, { headers: { authorization, ...headers } });
  const wire = Buffer.byteLength(await response.text());
  return { ms: performance.now() - started, status: response.status, wire, etag: response.headers.get('etag') ?? '' };
}
async function httpSeries(headers: Record<string, string>, perRequest: () => void, get = httpGet) {
  const samples: number[] = [];
  let last = await get(headers);
  for (let i = 0; i < HTTP_RUNS; i++) {
    perRequest();
    last = await get(headers);
    if (last.status !== 200 && last.status !== 304) throw new Error(`GET snapshot: ${last.status}`);
    samples.push(last.ms);
  }
  return { ...stats(samples), wire: last.wire, status: last.status, etag: last.etag };
}
await httpGet({});
const httpNew = {
  identity: await httpSeries({ 'accept-encoding': 'identity' }, nextSecond),
  gzip: await httpSeries({ 'accept-encoding': 'gzip, deflate' }, nextSecond),
  br: await httpSeries({ 'accept-encoding': 'gzip, deflate, br, zstd' }, nextSecond) // a browser's
};
const httpHit = await httpSeries({ 'accept-encoding': 'gzip, deflate, br, zstd' }, () => {});
const http304 = await httpSeries({ 'accept-encoding': 'gzip, deflate, br, zstd', 'if-none-match': httpHit.etag }, () => {});
if (http304.status !== 304) throw new Error(`If-None-Match of an unchanged room answered ${http304.status}`);
const httpFetch = await httpSeries({ 'accept-encoding': 'identity' }, nextSecond, fetchGet);
agent.destroy();
progress('HTTP snapshots done');

// (a) The room as the gateway keeps it: each second one second of telemetry (a million devices
// every 5 minutes: 3,333 records, round the fleet) is applied to live state, then the room is
// brought to that second (LiveRooms.update) and its snapshot taken, what a screen connecting
// then gets (LiveRooms.snapshot).
const rooms = new LiveRooms(app.registry, app.live, app.branding);
t = performance.now();
rooms.snapshot(TOP, clock);
const roomFirstMs = performance.now() - t;
const room: number[] = [];
const roomUpdate: number[] = [];
let roomBytes = 0;
for (let s = 1; s <= ROOM_SECONDS; s++) {
  nextSecond();
  t = performance.now();
  rooms.update(TOP, clock);
  roomUpdate.push(performance.now() - t);
  const held = rooms.snapshot(TOP, clock);
  room.push(performance.now() - t);
  if (s === ROOM_SECONDS) roomBytes = Buffer.byteLength(JSON.stringify(held));
}
// After the seconds the room must hold what a room summed from scratch holds.
const roomEqual = JSON.stringify(rooms.snapshot(TOP, clock)) === JSON.stringify(buildSnapshot(app.registry, app.live, TOP, clock, app.branding));
progress('room seconds done');

const a = stats(room);
const u = stats(roomUpdate);
const f = stats(fresh);
console.log(
  `fleet snapshot: top tenant of ${fmt(meta.plants, 0)} plants, ${fmt(meta.devices, 0)} devices, ${fmt(1 + meta.installers + meta.customers, 0)} tenants; ` +
    `${fmt(meta.rawRows, 0)} raw records (5 years, ${meta.stride === 1 ? 'daily' : `each device one day in ${meta.stride}`}; today every 5 minutes)`
);
console.log(`  fixture: made in ${fmt(meta.buildSeconds / 60, 1)} min, ${fmt(meta.diskBytes / 2 ** 30, 1)} GiB on disk (cached at ${fixtureDir()}); ${meta.sampleCheck}`);
console.log(`  server start over it (migrations, registry, live state rebuilt from the rollups): ${fmt(startMs / 1000, 1)} s, RSS ${fmt(rssBefore, 0)} -> ${fmt(rssStarted, 0)} MiB`);
console.log(
  `  (a) the room each second (LiveRooms.update + snapshot, ${fmt(PER_SECOND, 0)} records applied between seconds): p50 ${fmt(a.p50, 2)} ms, p95 ${fmt(a.p95, 2)} ms ` +
    `(n=${a.n}; goal p95 <= 50 ms), of which update p50 ${fmt(u.p50, 2)} ms, p95 ${fmt(u.p95, 2)} ms; first build of the room ${fmt(roomFirstMs, 0)} ms; snapshot ${fmt(roomBytes / 2 ** 20, 1)} MiB as JSON; equal to a room summed from scratch: ${roomEqual ? 'yes' : 'NO'}`
);
console.log(`  (b) cold build (buildSnapshot from scratch): first ${fmt(coldMs, 0)} ms (plant summaries empty), then p50 ${fmt(f.p50, 1)} ms, p95 ${fmt(f.p95, 1)} ms (n=${f.n})`);
const MiB = (n: number) => `${fmt(n / 2 ** 20, 2)} MiB`;
console.log(`  (c) GET /api/v1/screens/:id/snapshot, a second of telemetry (${fmt(PER_SECOND, 0)} records) before each request, so each is a new version of the room:`);
for (const [name, h] of Object.entries(httpNew)) {
  console.log(`      ${name.padEnd(8)} p50 ${fmt(h.p50, 1)} ms, p95 ${fmt(h.p95, 1)} ms, ${MiB(h.wire)} sent (n=${h.n})`);
}
console.log(`      same version again (cached bytes, br): p50 ${fmt(httpHit.p50, 1)} ms, p95 ${fmt(httpHit.p95, 1)} ms (n=${httpHit.n}); If-None-Match -> 304: p50 ${fmt(http304.p50, 2)} ms, p95 ${fmt(http304.p95, 2)} ms (n=${http304.n})`);
console.log(`      identity with fetch + text() (new version each request, as earlier runs measured): p50 ${fmt(httpFetch.p50, 1)} ms, p95 ${fmt(httpFetch.p95, 1)} ms (n=${httpFetch.n})`);
// The same figures from raw records, as a general dashboard tool querying the raw table would
// get them, by the contract's definitions: a device's day energy is its largest e_today_kwh that
// plant-local day; today sums each plant's own current date; a device counts with its latest
// record, offline when that is older than offline_after. The tenant's plants are found through
// the registry tables (distributor -> installer -> customer), as a subquery: ClickHouse builds a
// hash set from it. Passing the 100k plant ids as an array parameter instead is what never
// finished: above some tens of thousands of elements the engine turns `x IN <constant array>`
// into has(array, x), a linear scan of the array for each of the 10.9M rows.
const plants = tree.plantsOf(TOP);
const todayOf = plants.map((id) => localDate(now, tree.plants.get(id)!.timezone));
const SUBTREE_PLANTS = `
  WITH subtree AS (
    SELECT id, timezone FROM plants FINAL
    WHERE deleted = 0 AND tenant_id IN (
      SELECT id FROM tenants FINAL
      WHERE deleted = 0 AND (id = {tenant:String} OR parent_id = {tenant:String}
        OR parent_id IN (SELECT id FROM tenants FINAL WHERE deleted = 0 AND parent_id = {tenant:String}))))`;
// Two passes over the raw rows: energy by date, then each device's latest state and lifetime.
// Each plant's current date is its zone's date now (zone_dates: each zone's date, from the client).
const RAW_DATES = `${SUBTREE_PLANTS}
  SELECT arraySort(groupArray((toString(local_date), kwh))) AS dates, sum(today_part) AS today_kwh
  FROM (
    SELECT local_date, sum(day_kwh) AS kwh, sumIf(day_kwh, local_date = today) AS today_part
    FROM (
      SELECT plant_id, sn, local_date, max(e_today_kwh) AS day_kwh FROM telemetry
      WHERE plant_id IN (SELECT id FROM subtree) GROUP BY plant_id, sn, local_date
    ) AS days
    INNER JOIN (SELECT id, toDate({zone_dates:Map(String, String)}[timezone]) AS today FROM subtree) AS p ON days.plant_id = p.id
    GROUP BY local_date
  )
  SETTINGS max_bytes_before_external_group_by = 2000000000`;
const RAW_DEVICES = `${SUBTREE_PLANTS}
  SELECT countIf(live AND status = 'normal') AS normal, countIf(live AND status = 'standby') AS standby,
         countIf(live AND status = 'protect') AS protect, countIf(live AND status = 'fault') AS fault,
         sumIf(power_w, live) AS power_w, sum(ifNull(e_total, energy)) AS total_kwh
  FROM (
    SELECT sn, sum(day_kwh) AS energy, max(day_total) AS e_total, argMax(day_status, day_ts) AS status,
           argMax(day_power, day_ts) AS power_w, max(day_ts) >= {live_since:DateTime64(3, 'UTC')} AS live
    FROM (
      SELECT sn, local_date, max(e_today_kwh) AS day_kwh, max(ts) AS day_ts, argMax(status, ts) AS day_status,
             argMax(power_w, ts) AS day_power, max(e_total_kwh) AS day_total
      FROM telemetry WHERE plant_id IN (SELECT id FROM subtree) GROUP BY sn, local_date
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
const zones = new Set(plants.map((id) => tree.plants.get(id)!.timezone));
const rawParams = { tenant: TOP, zone_dates: Object.fromEntries([...zones].map((z) => [z, localDate(now, z)])), live_since: (now - app.config.offlineAfterMs) / 1000 };
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
console.log(`  ratio raw/room (a): p50 ${fmt(r.p50 / a.p50, 0)}x, p95 ${fmt(r.p95 / a.p95, 0)}x; raw/cold build (b): p50 ${fmt(r.p50 / f.p50, 0)}x; raw/HTTP (c), new version each request: ${Object.entries(httpNew)
    .map(([name, h]) => `${name} p50 ${fmt(r.p50 / h.p50, 0)}x, p95 ${fmt(r.p95 / h.p95, 0)}x`)
    .join('; ')} (goal >= 50x); cached bytes p50 ${fmt(r.p50 / httpHit.p50, 0)}x, 304 p50 ${fmt(r.p50 / http304.p50, 0)}x; identity with fetch p50 ${fmt(r.p50 / httpFetch.p50, 0)}x, p95 ${fmt(r.p95 / httpFetch.p95, 0)}x`);
console.log(`  start, query by query: ${breakdown.join(', ')}`);
console.log(`    lifetime energy read the old way (device_daily, every day of every device): ${fmt(oldLifetimeMs / 1000, 1)} s`);
if (!equal || !roomEqual) process.exit(1);
