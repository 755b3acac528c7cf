// A fleet at scale in an embedded store, made once and cached: 100k plants of 10 devices (1M)
// under 10k tenants (a distributor, 100 installers, 9,899 customers), five years of history and
// today's last half hour of 5-minute records. `node --import tsx bench/fixture.ts` builds it
// (bench/fleet-snapshot.ts does when it is missing). Knobs: BENCH_PLANTS (default 100000),
// BENCH_HISTORY_STRIDE (default 365: each device one day in 365, spread so every date has a
// 365th of the fleet; 1: every device every day, 1.83B rows, hours on 2 cores), BENCH_FIXTURE_DIR (default under /tmp).
//
// How it is made, so that its rollups hold what ingest would have produced:
// - Raw history is one record per device per plant-local day it reports: the day's closing
//   e_today_kwh at 20:00 local, with e_delta_kwh equal to it (what ingest computes for a device's
//   only record of a day), written with INSERT ... SELECT FROM numbers() from deterministic
//   values. Today's records are every 5 minutes since max(half an hour ago, local midnight);
//   e_delta_kwh is the rise over the device's previous record, p_delta_w its power (alone in its
//   bucket). Some devices are at fault, protect or standby; one in 50 stopped 20 minutes ago.
// - The materialized views are detached while raw rows go in; each rollup is then filled by
//   running its view's own SELECT (read from system.tables) over the raw rows, a month of
//   plant-local dates at a time, in the order the views chain. Views that only see recent rows
//   (device_latest, plant_power_5min, the 62-day tables) run once over the last days.
// - Energies are multiples of 0.25 kWh and powers whole watts: every sum is exact in any order,
//   so the wall's figures and the raw table's can be compared for equality.
// - bench/fixture-check.ts then sends a sample of plants' raw records through the real
//   POST /api/v1/telemetry on a fresh store, with the views attached, and checks that ingest
//   computes the same deltas and the views the same rollup rows.
import type { ClickHouseClient } from '@clickhouse/client';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../server/db/migrate.ts';
import { createStore, rows } from '../server/db/store.ts';
import { addDays, localDate, startOfLocalDate } from '../server/time/zones.ts';
import { sampleChecks, type SampleFile } from './fixture-sample.ts';

/** Bumped whenever what the fixture holds changes: a cached one of another version is rebuilt. */
export const FIXTURE_VERSION = 2;
export const PER_PLANT = 10;
export const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Australia/Sydney'];
export const HISTORY_DAYS = 1826;
const TODAY_MINUTES = 30;
const BUCKET_MS = 5 * 60_000;
/** Devices with dev % 50 = 7 stopped reporting 20 minutes ago: offline. */
const OFFLINE_AFTER_STOP_MS = 20 * 60_000;

export interface FixtureShape {
  plants: number;
  /** Days between a device's history records: 1 is daily; more thins the raw history (see the top). */
  stride: number;
  installers: number;
  customers: number;
}

export interface FixtureMeta extends FixtureShape {
  version: number;
  devices: number;
  /** The instant the fleet is "now" at (epoch ms): the bench pins its clock to it. */
  now: number;
  rawRows: number;
  buildSeconds: number;
  diskBytes: number;
  sampleCheck: string;
}

export function fixtureShape(): FixtureShape {
  const plants = Number(process.env.BENCH_PLANTS ?? 100_000);
  const stride = Number(process.env.BENCH_HISTORY_STRIDE ?? 365);
  return { plants, stride, installers: Math.max(1, Math.round(plants / 1000)), customers: Math.max(1, Math.round((plants * 9_899) / 100_000)) };
}

export function fixtureDir(shape = fixtureShape()): string {
  return join(process.env.BENCH_FIXTURE_DIR ?? join(tmpdir(), 'fleetwall-fixture'), `v${FIXTURE_VERSION}-${shape.plants}-plants-${shape.stride}-day`);
}

/** The cached fixture's description, or null when there is none (or only a half-built one). */
export function readFixtureMeta(dir = fixtureDir()): FixtureMeta | null {
  const file = join(dir, 'fixture.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FixtureMeta) : null;
}

/** Builds the fixture in a process of its own (libchdb binds one data directory per process). */
export function ensureFixture(): FixtureMeta {
  const found = readFixtureMeta();
  if (found) return found;
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/fixture.ts'], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`fixture build failed (exit ${run.status})`);
  return readFixtureMeta()!;
}

// Per device number `dev` (0 .. devices-1): plant p = dev / 10, and the zone is p % 4.
const PLANT = 'intDiv(dev, 10)';
const SN = `concat('S', toString(${PLANT}), '-', toString(dev % 10))`;
const PLANT_ID = `concat('p', toString(${PLANT}))`;
const ZONE = `(${PLANT} % ${ZONES.length})`;
const perZone = (values: string[]) => `multiIf(${values.slice(0, -1).map((v, z) => `${ZONE} = ${z}, ${v}`).join(', ')}, ${values.at(-1)})`;

const TELEMETRY_COLUMNS = 'sn, plant_id, ts, local_date, status, power_w, e_today_kwh, e_total_kwh, e_delta_kwh, p_delta_w, pv_v, pv_i, pv_p, battery_soc, battery_power_w, grid_power_w, load_power_w, temperature_c, fault_code, batch_id, received_at';

/** Each device's lifetime counter, reported by every other device: grows by 500 kWh a day. */
const eTotal = (h0: string, dayExpr: string, extra = '0') => `if(dev % 2 = 0, toNullable(1000 + toFloat64(${dayExpr} - toDate('${h0}') + 1) * 500 + ${extra}), NULL)`;

// The generators below splice numbers, dates and time-zone names into SQL text: all of them are
// this file's own constants or computed from its knobs (parsed as numbers), never outside input,
// and INSERT ... SELECT FROM numbers() expressions cannot take them as query parameters.
function historySql(devices: number, stride: number, from: string, to: string, h0: string, todays: string[]): string {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  // A device reports on the days where (day number + dev) % stride = 0: spread over the fleet.
  const perDevice = Math.ceil(days / stride);
  const first = `toDate('${from}') + (${stride} - (toUInt32(toDate('${from}')) + dev) % ${stride}) % ${stride}`;
  // A day's energy: 2 to 42 kWh per kW step of the device, in quarter kWh.
  const kwh = `((dev % 10 + 1) * (8 + cityHash64(dev, toUInt32(day)) % 160)) / 4`;
  const ts = perZone(ZONES.map((z) => `toDateTime64(concat(toString(day), ' 20:00:00'), 3, '${z}')`));
  return `INSERT INTO telemetry (${TELEMETRY_COLUMNS})
    SELECT ${SN}, ${PLANT_ID}, ts, day, 'normal', 0, kwh, ${eTotal(h0, 'day')}, kwh, 0,
           [], [], [], NULL, NULL, NULL, NULL, NULL, NULL, 'fixture', ts
    FROM (
      SELECT intDiv(number, ${perDevice}) AS dev, ${first} + (number % ${perDevice}) * ${stride} AS day, ${kwh} AS kwh, ${ts} AS ts
      FROM numbers(${devices * perDevice})
    )
    WHERE day >= toDate('${h0}') AND day < toDate('${to}') AND day < ${perZone(todays.map((d) => `toDate('${d}')`))}`;
}

function todaySql(devices: number, now: number, h0: string, todays: string[], midnights: number[]): string {
  const last = Math.floor(now / BUCKET_MS) * BUCKET_MS;
  const records = TODAY_MINUTES / 5;
  const first = last - (records - 1) * BUCKET_MS;
  const midnight = perZone(midnights.map((m) => `toDateTime64(${m / 1000}, 3, 'UTC')`));
  const start = `greatest(toDateTime64(${first / 1000}, 3, 'UTC'), ${midnight})`;
  // Today's counter: (kW step) x minutes since local midnight / 10, in quarter kWh; it only grows.
  const energyAt = (t: string) => `floor((dev % 10 + 1) * dateDiff('minute', ${midnight}, ${t}) * 4 / 10) / 4`;
  return `INSERT INTO telemetry (${TELEMETRY_COLUMNS})
    SELECT ${SN}, ${PLANT_ID}, ts, ${perZone(todays.map((d) => `toDate('${d}')`))},
           multiIf(dev % 97 = 3, 'fault', dev % 89 = 5, 'protect', dev % 13 = 0, 'standby', 'normal') AS status,
           power, e, ${eTotal(h0, perZone(todays.map((d) => `toDate('${d}')`)), 'e')},
           e - if(ts - INTERVAL 5 MINUTE >= ${start}, ${energyAt('ts - INTERVAL 5 MINUTE')}, 0), power,
           [], [], [], NULL, NULL, NULL, NULL, NULL, if(status = 'fault', 'F042', NULL), 'fixture', ts
    FROM (
      SELECT intDiv(number, ${records}) AS dev, toDateTime64(${last / 1000} - (number % ${records}) * 300, 3, 'UTC') AS ts,
             toFloat64((dev % 10 + 1) * 1000 + cityHash64(dev, toUInt32(ts)) % 500) AS power, ${energyAt('ts')} AS e
      FROM numbers(${devices * records})
    )
    WHERE ts >= ${start} AND (dev % 50 != 7 OR ts <= toDateTime64(${(now - OFFLINE_AFTER_STOP_MS) / 1000}, 3, 'UTC'))`;
}

function registrySql(shape: FixtureShape): string[] {
  const { plants, installers, customers } = shape;
  const zone = `arrayElement([${ZONES.map((z) => `'${z}'`).join(', ')}], number % ${ZONES.length} + 1)`;
  return [
    `INSERT INTO tenants (id, name, parent_id, kind, timezone, contact, version)
     VALUES ('d', 'Fleet Distribution', NULL, 'distributor', 'Europe/Berlin', '{}', 1)`,
    `INSERT INTO tenants (id, name, parent_id, kind, timezone, contact, version)
     SELECT concat('i', toString(number)), concat('Installer ', toString(number)), 'd', 'installer', NULL, '{}', 1 FROM numbers(${installers})`,
    `INSERT INTO tenants (id, name, parent_id, kind, timezone, contact, version)
     SELECT concat('c', toString(number)), concat('Customer ', toString(number)), concat('i', toString(number % ${installers})), 'customer', NULL,
            concat('{"name":"Customer ', toString(number), '"}'), 1
     FROM numbers(${customers})`,
    `INSERT INTO plants (id, tenant_id, name, lat, lon, timezone, capacity_kw, version)
     SELECT concat('p', toString(number)), concat('c', toString(number % ${customers})), concat('Plant ', toString(number)),
            -55 + (cityHash64(number, 1) % 12000) / 100, -180 + (cityHash64(number, 2) % 36000) / 100, ${zone}, 110, 1
     FROM numbers(${plants})`,
    `INSERT INTO devices (sn, plant_id, kind, rated_power_w, version)
     SELECT concat('S', toString(intDiv(number, 10)), '-', toString(number % 10)), concat('p', toString(intDiv(number, 10))),
            multiIf(number % 10 < 7, 'inverter', number % 10 < 9, 'storage', 'charger'), (number % 10 + 1) * 2000, 1
     FROM numbers(${plants * PER_PLANT})`
  ];
}

interface View {
  name: string;
  target: string;
  source: string;
  select: string;
}

/** The store's materialized views, in the order they chain (raw-fed first). */
async function views(store: ClickHouseClient): Promise<View[]> {
  const found = await rows<{ name: string; as_select: string; create_table_query: string }>(
    store,
    `SELECT name, as_select, create_table_query FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'`
  );
  const list = found.map((v) => ({
    name: v.name,
    target: /\bTO (\S+)/.exec(v.create_table_query)![1],
    source: /\bFROM (\S+)/.exec(v.as_select)![1],
    select: v.as_select
  }));
  const rank = (v: View) => (v.source.endsWith('.telemetry') ? 0 : v.source.endsWith('.plant_daily_energy') ? 1 : 2);
  return list.sort((a, b) => rank(a) - rank(b));
}

/** Views over raw rows that only keep recent ones, or (device_latest) only each device's latest. */
const RECENT_VIEWS = new Set(['device_latest_mv', 'plant_power_5min_mv', 'device_recent_daily_mv', 'plant_recent_daily_energy_mv']);
/** The date column a view's source is chunked by. */
const CHUNK_COLUMN: Record<string, string> = { telemetry: 'local_date', plant_daily_energy: 'local_date', plant_monthly_energy: 'month' };

/** Runs a view's own SELECT over the rows of its source in [from, to) and inserts them into its table. */
async function fill(store: ClickHouseClient, view: View, from: string, to: string): Promise<void> {
  const table = view.source.split('.').pop()!;
  const column = CHUNK_COLUMN[table];
  const select = view.select.replace(
    `FROM ${view.source}`,
    `FROM (SELECT * FROM ${view.source} WHERE ${column} >= toDate('${from}') AND ${column} < toDate('${to}')) AS ${table}`
  );
  const names = (await rows<{ name: string }>(store, `DESCRIBE (${select})`)).map((c) => c.name);
  await command(store, `INSERT INTO ${view.target} (${names.join(', ')}) ${select}`);
}

// INSERT ... SELECT runs as a command with a token of its own: the embedded engine keeps an
// earlier insert's token on its session (see server/db/store.ts), and a block under a token seen
// before is silently dropped, even with insert_deduplicate off.
const command = async (store: ClickHouseClient, query: string) => {
  const t = performance.now();
  await store.command({
    query,
    clickhouse_settings: {
      insert_deduplicate: 0,
      insert_deduplication_token: randomUUID(),
      min_insert_block_size_rows: '4000000',
      min_insert_block_size_bytes: '1000000000',
      max_threads: 2,
      max_insert_threads: '2'
    }
  });
  if (process.env.BENCH_FIXTURE_TRACE) console.log(`${((performance.now() - t) / 1000).toFixed(2)} s  ${query.replace(/\s+/g, ' ').slice(0, 90)}`);
};

const monthStart = (date: string) => `${date.slice(0, 7)}-01`;
const nextMonth = (date: string) => {
  const d = new Date(`${monthStart(date)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
};

function diskBytes(path: string): number {
  const out = spawnSync('du', ['-sb', path], { encoding: 'utf8' }).stdout;
  return Number(out.split('\t')[0]);
}

async function build(): Promise<void> {
  const shape = fixtureShape();
  const dir = fixtureDir(shape);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const log = (msg: string) => console.log(`fixture: ${msg} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  const devices = shape.plants * PER_PLANT;
  const now = Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS + 150_000;
  const todays = ZONES.map((z) => localDate(now, z));
  const midnights = ZONES.map((z, i) => startOfLocalDate(todays[i], z));
  const h0 = addDays(localDate(now, 'UTC'), -HISTORY_DAYS);
  const end = [...todays].sort().at(-1)!;

  const store = createStore({ dataDir: dir, clickhouse: null });
  await migrate(store);
  for (const sql of registrySql(shape)) await command(store, sql);
  const all = await views(store);
  for (const v of all) await store.command({ query: `DETACH TABLE ${v.name}` });
  log(`${shape.plants} plants, ${devices} devices, ${1 + shape.installers + shape.customers} tenants registered; views detached`);

  for (let from = monthStart(h0); from <= end; from = nextMonth(from)) {
    const to = nextMonth(from);
    await command(store, historySql(devices, shape.stride, from, to, h0, todays));
    if (to > end) await command(store, todaySql(devices, now, h0, todays, midnights));
    for (const v of all) if (!RECENT_VIEWS.has(v.name)) await fill(store, v, from, to);
    log(`month ${from.slice(0, 7)} in`);
  }
  const recentFrom = addDays(localDate(now, 'UTC'), -64);
  for (const v of all) if (RECENT_VIEWS.has(v.name)) await fill(store, v, recentFrom, addDays(end, 1));
  for (const v of all) await store.command({ query: `ATTACH TABLE ${v.name}` });
  // A store that has run for years has merged its small rollups; the raw table and device_daily
  // are left to the background merges, as ingest leaves them.
  for (const table of ['device_latest', 'device_lifetime', 'device_monthly_energy', 'device_recent_daily', 'plant_daily_energy', 'plant_recent_daily_energy', 'plant_monthly_energy', 'plant_yearly_energy', 'plant_power_5min']) {
    await store.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
  }
  log('rollups filled, views attached, small rollups merged');

  const [{ n: rawRows }] = await rows<{ n: number }>(store, 'SELECT count() AS n FROM telemetry');
  const sample = await sampleChecks(store, shape.plants, now);
  await store.close();
  const sampleFile = join(dir, 'sample.json');
  writeFileSync(sampleFile, JSON.stringify(sample satisfies SampleFile));
  const check = spawnSync(process.execPath, ['--import', 'tsx', 'bench/fixture-check.ts', sampleFile], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`the fixture's rollups differ from what ingest makes:\n${check.stdout}`);
  const buildSeconds = (performance.now() - started) / 1000;
  log(check.stdout.trim());
  const meta: FixtureMeta = { version: FIXTURE_VERSION, ...shape, devices, now, rawRows, buildSeconds, diskBytes: diskBytes(dir), sampleCheck: check.stdout.trim() };
  writeFileSync(join(dir, 'fixture.json'), JSON.stringify(meta, null, 2));
  log(`done: ${rawRows} raw rows, ${(meta.diskBytes / 2 ** 30).toFixed(1)} GiB`);
}

if (process.argv[1]?.endsWith('fixture.ts')) await build();
