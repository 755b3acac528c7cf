// The wall's snapshot for the demo fleet with five years of history, made through the real
// ingest path: p50/p95 of building it (once per room per second), of serving it over HTTP, and of
// computing the same figures from the raw table, in the same run.
import { rows } from '../server/db/store.ts';
import { buildDemoFleet, DEMO_DISTRIBUTOR_ID } from '../server/demo/fleet.ts';
import { DemoSimulator } from '../server/demo/simulator.ts';
import { buildSnapshot } from '../server/live/view.ts';
import { benchApp, fmt, percentile, ROOT } from './lib.ts';

const { app } = await benchApp();
const operator = { kind: 'root' } as const;
const simulator = new DemoSimulator(
  buildDemoFleet(),
  { upsertRegistry: async (b) => void (await app.registry.upsert(operator, b)), ingest: (b) => app.ingestor.ingest(operator, b) },
  { log: () => {} }
);
let t = performance.now();
const seeded = await simulator.seedToday();
const history = await simulator.backfill({ years: 5 });
await simulator.stop();
const fixtureSeconds = (performance.now() - t) / 1000;
const [{ n: rawRows }] = await rows<{ n: number }>(app.store, 'SELECT count() AS n FROM telemetry');

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};

const now = Date.now();
for (let i = 0; i < 20; i++) buildSnapshot(app.registry, app.live, DEMO_DISTRIBUTOR_ID, now);
const build: number[] = [];
for (let i = 0; i < 300; i++) {
  t = performance.now();
  buildSnapshot(app.registry, app.live, DEMO_DISTRIBUTOR_ID, now);
  build.push(performance.now() - t);
}

const screen = await app.credentials.createScreen(DEMO_DISTRIBUTOR_ID, 'bench');
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const http: number[] = [];
let bytes = 0;
for (let i = 0; i < 100; i++) {
  t = performance.now();
  const body = await (await fetch(`${base}/api/v1/screens/${screen.id}/snapshot`, { headers: { authorization: `Bearer ${screen.token}` } })).text();
  http.push(performance.now() - t);
  bytes = body.length;
}

// The same figures straight from raw records: a day's energy is each device's largest counter.
const plants = app.registry.tree.plantsOf(DEMO_DISTRIBUTOR_ID);
const fromRaw = `
  SELECT
    sumIf(day_kwh, local_date >= today() - 30) AS days,
    sumIf(day_kwh, toYear(local_date) = toYear(today())) AS this_year,
    sum(day_kwh) AS all_years,
    (SELECT argMax(power_w, ts) FROM telemetry WHERE plant_id IN {plants:Array(String)} GROUP BY sn LIMIT 1) AS power
  FROM (
    SELECT sn, local_date, max(e_today_kwh) AS day_kwh FROM telemetry
    WHERE plant_id IN {plants:Array(String)} AND local_date >= today() - INTERVAL 5 YEAR
    GROUP BY sn, local_date
  )`;
const raw: number[] = [];
for (let i = 0; i < 20; i++) {
  t = performance.now();
  await rows(app.store, fromRaw, { plants });
  raw.push(performance.now() - t);
}

const b = stats(build);
const h = stats(http);
const r = stats(raw);
console.log(`snapshot: demo fleet, ${plants.length} plants, ${app.registry.tree.devices.size} devices, ${fmt(rawRows, 0)} raw records (${fmt(seeded.records + history.records, 0)} sent through ingest in ${fmt(fixtureSeconds)} s)`);
console.log(`  build in memory (per room per second): p50 ${fmt(b.p50, 2)} ms, p95 ${fmt(b.p95, 2)} ms`);
console.log(`  GET /api/v1/screens/:id/snapshot:     p50 ${fmt(h.p50, 2)} ms, p95 ${fmt(h.p95, 2)} ms, ${fmt(bytes / 1024)} KiB`);
console.log(`  same figures from the raw table:      p50 ${fmt(r.p50, 1)} ms, p95 ${fmt(r.p95, 1)} ms`);
console.log(`  ratio raw/ours (p50, HTTP): ${fmt(r.p50 / h.p50, 1)}x`);
await app.close();
