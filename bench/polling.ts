// Push against polling: the database CPU a wall costs per screen-minute on our push path (ingest
// keeps rollups and live state current; screens get deltas from memory and never query) against
// the same screens each querying the raw telemetry table every 10 seconds for the figures a wall
// shows, which is what a general dashboard tool does. Same fleet, same store, same run.
//
// Database CPU is the embedded engine's own account of its threads' CPU time (system.events
// UserTimeMicroseconds + SystemTimeMicroseconds, cumulative over every query, insert and
// background merge). chDB keeps no system.query_log, so it is read as a difference around each
// phase; process CPU is printed beside it as a cross-check.
//
// Attribution: the push path is charged ALL the database work of ingest during its phase (the raw
// insert, every rollup view, the batch ledger, the merges that follow), although a store must be
// fed whatever the screens do, and nothing per screen, because the gateway never asks the store.
// Polling is charged its queries only; its own raw inserts, which it needs as well, are left out.
// Both choices flatter polling.
import { io as connect, type Socket } from 'socket.io-client';
import { rows } from '../server/db/store.ts';
import { buildSnapshot } from '../server/live/view.ts';
import type { TelemetryRecord } from '../server/model.ts';
import { localHour } from '../server/time/zones.ts';
import { benchApp, fmt, ROOT, syntheticFleet } from './lib.ts';

const PLANTS = 2_000;
const PER_PLANT = 10;
const DEVICES = PLANTS * PER_PLANT;
const SCREENS = 200;
const POLL_EVERY_S = 10;
/** Live minutes played through ingest, compressed to about one second each. */
const LIVE_MINUTES = 10;
const POLL_BUDGET_MS = Number(process.env.BENCH_POLL_SECONDS ?? 60) * 1000;
const REPORT_MS = 300_000;
const HISTORY_REPORTS = 288; // a day of 5-minute reports

const fleet = syntheticFleet(PLANTS, PER_PLANT);
const { app } = await benchApp();
await app.registry.upsert({ kind: 'root' }, fleet);
const base = await app.listen({ port: 0, host: '127.0.0.1' });

// Device d (plant p = d / 10, inverter j = d % 10) reports at base + k * 5 min + (d % 300) s; the
// day of history fills reports 0..287, the live minutes reports 288 and 289, ending now.
const now0 = Date.now();
const reportsBase = Math.floor(now0 / REPORT_MS) * REPORT_MS - (HISTORY_REPORTS + LIVE_MINUTES / 5) * REPORT_MS;
const factor = (j: number) => 0.6 + j / 25;

// A clear-sky day: power a sine between 06:00 and 18:00 local, e_today its integral.
const energyJs = (h: number, f: number) => Math.round(10 * f * (12 / Math.PI) * (1 - Math.cos((Math.PI * Math.min(Math.max(h - 6, 0), 12)) / 12)) * 1000) / 1000;
const powerJs = (h: number, f: number) => Math.round(10_000 * f * Math.max(0, Math.sin((Math.PI * (h - 6)) / 12)));
const statusOf = (d: number, power: number): TelemetryRecord['status'] => (d % 97 === 0 ? 'fault' : d % 89 === 0 ? 'protect' : power === 0 ? 'standby' : 'normal');

// The day of history goes straight in with INSERT ... SELECT FROM numbers(), one statement per
// time zone (a zone must be a constant), through the real table so that every rollup view fires.
// e_delta_kwh and p_delta_w are what ingest would have computed for these reports arriving in
// order: the rise over the device's previous report on the same local date (the first report of
// the history counts whole), and, with one report per device per 5-minute bucket, the power itself.
let t = performance.now();
const zones = [...new Set(fleet.plants.map((p) => p.timezone))];
for (const zone of zones) {
  const plantIndexes = fleet.plants.flatMap((p, i) => (p.timezone === zone ? [i] : []));
  await app.store.command({
    query: `
      INSERT INTO telemetry (sn, plant_id, ts, local_date, status, power_w, e_today_kwh, e_total_kwh, e_delta_kwh, p_delta_w,
        pv_v, pv_i, pv_p, battery_soc, battery_power_w, grid_power_w, load_power_w, temperature_c, fault_code, batch_id, received_at)
      SELECT sn, plant_id, ts, toDate(lt), status, power_w, e_today, NULL, greatest(0, e_today - e_before), power_w,
        [], [], [], NULL, NULL, NULL, NULL, 35, if(status = 'fault', 'F01', NULL), '', ts
      FROM (
        SELECT d, p, j, k, ts, f, lt, lt_before,
          -- Local hours of the day as fractions: energyJs and powerJs in SQL.
          toHour(lt) + toMinute(lt) / 60 + toSecond(lt) / 3600 AS h,
          toHour(lt_before) + toMinute(lt_before) / 60 + toSecond(lt_before) / 3600 AS h_before,
          concat('S', toString(p), '-', toString(j)) AS sn, concat('p', toString(p)) AS plant_id,
          round(10 * f * (12 / pi()) * (1 - cos(pi() * least(greatest(h - 6, 0), 12) / 12)), 3) AS e_today,
          if(k > 0 AND toDate(lt_before) = toDate(lt), round(10 * f * (12 / pi()) * (1 - cos(pi() * least(greatest(h_before - 6, 0), 12) / 12)), 3), 0) AS e_before,
          round(10000 * f * greatest(0, sin(pi() * (h - 6) / 12))) AS power_w,
          multiIf(d % 97 = 0, 'fault', d % 89 = 0, 'protect', power_w = 0, 'standby', 'normal') AS status
        FROM (
          SELECT number % {devices:UInt32} AS d, intDiv(d, {perPlant:UInt32}) AS p, d % {perPlant:UInt32} AS j,
            intDiv(number, {devices:UInt32}) AS k, 0.6 + j / 25 AS f,
            fromUnixTimestamp64Milli(toInt64({base:Int64} + k * 300000 + (d % 300) * 1000), 'UTC') AS ts,
            toTimeZone(ts, {zone:String}) AS lt, toTimeZone(ts - INTERVAL 5 MINUTE, {zone:String}) AS lt_before
          FROM numbers({rows:UInt64})
          WHERE p IN {plants:Array(UInt32)}
        )
      )`,
    query_params: { devices: DEVICES, perPlant: PER_PLANT, base: reportsBase, zone, rows: DEVICES * HISTORY_REPORTS, plants: plantIndexes },
    // A token of its own: the embedded engine's session keeps the last insert's token, and
    // insert_deduplicate = 0 does not stop it from dropping this insert as a repeat (seen on chDB 3.4).
    clickhouse_settings: { insert_deduplicate: 1, insert_deduplication_token: `history-${zone}-${now0}`, deduplicate_blocks_in_dependent_materialized_views: 1 }
  });
}
const fixtureSeconds = (performance.now() - t) / 1000;
await app.live.rebuild(app.store, Date.now());
const [{ n: historyRows }] = await rows<{ n: number }>(app.store, 'SELECT count() AS n FROM telemetry');

/** The engine's CPU time so far (its threads: queries, inserts, merges), in milliseconds. */
async function engineCpuMs(): Promise<number> {
  const [{ us }] = await rows<{ us: number }>(
    app.store,
    "SELECT sum(value) AS us FROM system.events WHERE event IN ('UserTimeMicroseconds', 'SystemTimeMicroseconds')"
  );
  return us / 1000;
}
const processCpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};
/** Background merges belong to whoever caused them: wait for them before a phase ends (and starts). */
async function mergesSettled(limitMs = 20_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    const [{ n }] = await rows<{ n: number }>(app.store, 'SELECT count() AS n FROM system.merges');
    if (n === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

// 200 screens over the 11 tenants, round robin: 19 walls on the distributor (2,000 plants), 181
// on its customers (200 plants each).
const tenantIds = fleet.tenants.map((x) => x.id);
const screens = await Promise.all(
  Array.from({ length: SCREENS }, async (_, i) => {
    const tenantId = tenantIds[i % tenantIds.length];
    return { tenantId, ...(await app.credentials.createScreen(tenantId, `wall ${i}`)) };
  })
);

// ---- Push: 200 connected screens while ten live minutes of reports come in through ingest.
const deltas = new Array<number>(SCREENS).fill(0);
const sockets: Socket[] = await Promise.all(
  screens.map(
    (s, i) =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect(base, { auth: { token: s.token }, transports: ['websocket'], reconnection: false });
        socket.once('snapshot', () => resolve(socket));
        socket.on('delta', () => deltas[i]++);
        socket.once('connect_error', reject);
      })
  )
);

function liveBatch(minute: number): TelemetryRecord[] {
  const k = HISTORY_REPORTS + Math.floor(minute / 5);
  const records: TelemetryRecord[] = [];
  for (let d = 0; d < DEVICES; d++) {
    if (Math.floor((d % 300) / 60) !== minute % 5) continue; // a fifth of the devices report each minute
    const p = Math.floor(d / PER_PLANT);
    const j = d % PER_PLANT;
    const ts = reportsBase + k * REPORT_MS + (d % 300) * 1000;
    const h = localHour(ts, fleet.plants[p].timezone);
    const power = powerJs(h, factor(j));
    const status = statusOf(d, power);
    records.push({ sn: `S${p}-${j}`, ts: new Date(ts).toISOString(), status, power_w: power, e_today_kwh: energyJs(h, factor(j)), temperature_c: 35, ...(status === 'fault' ? { fault_code: 'F01' } : {}) });
  }
  return records;
}
const bodies = Array.from({ length: LIVE_MINUTES }, (_, m) => JSON.stringify({ batch_id: `live-${m}`, records: liveBatch(m) }));

await mergesSettled();
let engine0 = await engineCpuMs();
let process0 = process.cpuUsage();
t = performance.now();
let liveRecords = 0;
for (const body of bodies) {
  const started = performance.now();
  const response = await fetch(`${base}/api/v1/telemetry`, { method: 'POST', headers: { authorization: `Bearer ${ROOT}`, 'content-type': 'application/json' }, body });
  const answer = (await response.json()) as { accepted: number; rejected: unknown[] };
  if (answer.rejected.length > 0) throw new Error(`live batch rejected records: ${JSON.stringify(answer.rejected.slice(0, 3))}`);
  liveRecords += answer.accepted;
  // One compressed minute per second or so: every room gets its delta before the next batch.
  await new Promise((r) => setTimeout(r, Math.max(0, 1100 - (performance.now() - started))));
}
await new Promise((r) => setTimeout(r, 1200));
await mergesSettled();
const pushEngineMs = (await engineCpuMs()) - engine0;
const pushProcessMs = processCpuMs(process0);
const pushWallS = (performance.now() - t) / 1000;
for (const socket of sockets) socket.disconnect();
const minDeltas = Math.min(...deltas);

// The push path's figures and the raw table's, for one distributor wall: the fixture is sound
// when they agree (today_kwh may differ by the devices whose latest report is from before local
// midnight, which the raw query counts with yesterday).
const pollQuery = `
  SELECT
    round(sum(day_kwh), 1) AS today_kwh,
    sumIf(power, fresh) AS power_w,
    count() AS reporting,
    countIf(fresh AND status = 'normal') AS normal,
    countIf(fresh AND status = 'standby') AS standby,
    countIf(fresh AND status = 'protect') AS protect,
    countIf(fresh AND status = 'fault') AS fault,
    countIf(NOT fresh) AS offline
  FROM (
    SELECT sn, argMax(day_kwh, local_date) AS day_kwh, max(last_ts) >= fromUnixTimestamp64Milli({freshAfter:Int64}) AS fresh,
      argMax(last_power, last_ts) AS power, argMax(last_status, last_ts) AS status
    FROM (
      SELECT sn, local_date, max(e_today_kwh) AS day_kwh, max(ts) AS last_ts, argMax(power_w, ts) AS last_power, argMax(status, ts) AS last_status
      FROM telemetry
      WHERE plant_id IN {plants:Array(String)} AND ts >= fromUnixTimestamp64Milli({since:Int64})
      GROUP BY sn, local_date
    )
    GROUP BY sn
  )`;
interface PollRow { today_kwh: number; power_w: number; reporting: number; normal: number; standby: number; protect: number; fault: number; offline: number }
const poll = (tenantId: string, at: number) =>
  rows<PollRow>(app.store, pollQuery, {
    plants: app.registry.tree.plantsOf(tenantId),
    freshAfter: at - app.config.offlineAfterMs,
    // A plant-local day began at most 25 hours ago.
    since: at - 25 * 3_600_000
  });
const checkAt = Date.now();
const [fromRaw] = await poll('d', checkAt);
const pushed = buildSnapshot(app.registry, app.live, 'd', checkAt);

// ---- Polling: every screen asks the raw table once per 10 s. Rounds of 200 polls (one 10-second
// period of all screens) run back to back, as many as fit in the budget (at least one); CPU per poll x 6 is the
// cost per screen-minute. Warm-up first (one poll per tenant), not counted.
for (const tenantId of tenantIds) await poll(tenantId, Date.now());
await mergesSettled();
engine0 = await engineCpuMs();
process0 = process.cpuUsage();
t = performance.now();
let polls = 0;
do {
  for (const s of screens) {
    await poll(s.tenantId, Date.now());
    polls++;
  }
  // Another round only if it fits in the budget.
} while (((performance.now() - t) * (polls / SCREENS + 1)) / (polls / SCREENS) <= POLL_BUDGET_MS);
const pollWallS = (performance.now() - t) / 1000;
const pollEngineMs = (await engineCpuMs()) - engine0;
const pollProcessMs = processCpuMs(process0);

const screenMinutesPush = SCREENS * LIVE_MINUTES;
const pollsPerScreenMinute = 60 / POLL_EVERY_S;
const pushPerScreenMinute = pushEngineMs / screenMinutesPush;
const pollPerScreenMinute = (pollEngineMs / polls) * pollsPerScreenMinute;
const rounds = polls / SCREENS;

console.log(
  `polling: ${fmt(PLANTS, 0)} plants / ${fmt(DEVICES, 0)} devices, ${SCREENS} screens on ${tenantIds.length} tenants (${Math.ceil(SCREENS / tenantIds.length)} on the distributor), ` +
    `${fmt(historyRows, 0)} raw rows of history put in with INSERT ... SELECT FROM numbers() through every rollup view in ${fmt(fixtureSeconds)} s`
);
console.log(
  `  check, distributor wall: push today ${fmt(pushed.kpi.today_kwh, 1)} kWh, ${fmt(pushed.kpi.power_w, 0)} W, fault ${pushed.status.fault}, offline ${pushed.status.offline}; ` +
    `raw query today ${fmt(fromRaw.today_kwh, 1)} kWh, ${fmt(fromRaw.power_w, 0)} W, fault ${fromRaw.fault}, offline ${fromRaw.offline + (DEVICES - fromRaw.reporting)}`
);
console.log(
  `  push: ${LIVE_MINUTES} live minutes (${fmt(liveRecords, 0)} records in ${LIVE_MINUTES} batches through POST /api/v1/telemetry) in ${fmt(pushWallS)} s, every screen got >= ${minDeltas} deltas (a room hears only when its figures change, or a heartbeat); ` +
    `engine CPU ${fmt(pushEngineMs, 0)} ms (process ${fmt(pushProcessMs, 0)} ms, incl. HTTP, live state and the gateway)`
);
console.log(
  `  polling: ${fmt(polls, 0)} polls (${fmt(rounds, 1)} round(s) of ${SCREENS}, i.e. ${fmt(rounds * POLL_EVERY_S, 0)} s of real time) back to back in ${fmt(pollWallS)} s; ` +
    `engine CPU ${fmt(pollEngineMs, 0)} ms, ${fmt(pollEngineMs / polls, 1)} ms per poll (process ${fmt(pollProcessMs, 0)} ms); ` +
    `at 10 s per poll the ${SCREENS} screens keep ${fmt(pollEngineMs / (rounds * POLL_EVERY_S * 1000), 2)} cores busy`
);
console.log(
  `  database CPU per screen-minute: push ${fmt(pushPerScreenMinute, 2)} ms (all ingest, ${SCREENS} screens), polling ${fmt(pollPerScreenMinute, 1)} ms; ` +
    `ratio polling/push ${fmt(pollPerScreenMinute / pushPerScreenMinute, 0)}x (goal >= 50x)`
);
console.log(
  `  per minute of fleet time, all ${SCREENS} screens: push ${fmt(pushEngineMs / LIVE_MINUTES, 0)} ms of database CPU, polling ${fmt((pollPerScreenMinute * SCREENS) / 1000, 1)} s`
);
await app.close();
