// Live state at fleet scale: 1M devices in 100k plants under 10k tenants, in memory, no store.
// What a server holding that fleet keeps (registry, live state, the rooms' figures) in one
// process, and the time to apply one second of telemetry (3,333 records) and produce the delta of
// every room, against the one-second budget it must fit in. Baselines from the same run: a
// JSON.parse of the same records, and a plain Map of each device's latest record.
import type { ClickHouseClient } from '@clickhouse/client';
import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { LiveRooms } from '../server/live/rooms.ts';
import { LiveState } from '../server/live/state.ts';
import { TelemetryBatch, type AppliedFields as AppliedRecord } from '../server/ingest/batch.ts';
import { Registry } from '../server/registry/registry.ts';
import { localDate } from '../server/time/zones.ts';
import { fmt, percentile } from './lib.ts';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 1_000_000);
const PER_PLANT = 10;
const PLANTS = DEVICES / PER_PLANT;
const INSTALLERS = 100;
const CUSTOMERS = 9_899;
const PER_SECOND = 3_333;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Australia/Sydney'];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
// The JS heap and the typed arrays' memory, which lies outside it (device and plant columns).
const heap = () => {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

// The memory baseline: a plain Map of each device's latest record, nothing else.
const beforeMap = heap();
const latest = new Map<string, { ts: number; status: string; power_w: number; e_today_kwh: number; e_total_kwh: number | null }>();
for (let p = 0; p < PLANTS; p++) for (let d = 0; d < PER_PLANT; d++) latest.set(`S${p}-${d}`, { ts: 1_700_000_000_000 + p, status: 'normal', power_w: 5000.5, e_today_kwh: 24.5, e_total_kwh: null });
const mapPerDevice = (heap() - beforeMap) / DEVICES;
latest.clear();


const start = heap();
const registry = new Registry(null as unknown as ClickHouseClient);
const tree = registry.tree;
tree.putTenant({ id: 'd', name: 'Distributor', parent_id: null, kind: 'distributor', timezone: 'Europe/Berlin' });
for (let i = 0; i < INSTALLERS; i++) tree.putTenant({ id: `i${i}`, name: `Installer ${i}`, parent_id: 'd', kind: 'installer' });
for (let c = 0; c < CUSTOMERS; c++) tree.putTenant({ id: `c${c}`, name: `Customer ${c}`, parent_id: `i${c % INSTALLERS}`, kind: 'customer' });
for (let p = 0; p < PLANTS; p++) {
  tree.putPlant({ id: `p${p}`, tenant_id: `c${p % CUSTOMERS}`, name: `Plant ${p}`, lat: -50 + (p % 100), lon: -170 + (p % 340), timezone: ZONES[p % ZONES.length], capacity_kw: 100 });
  for (let d = 0; d < PER_PLANT; d++) tree.putDevice({ sn: `S${p}-${d}`, plant_id: `p${p}`, kind: 'inverter', rated_power_w: 10_000 });
}
const afterRegistry = heap();

const now = Date.now();
const live = new LiveState({ offlineAfterMs: 15 * 60_000, now });
const base = { e_total_kwh: null, pv: [], battery_soc: null, battery_power_w: null, grid_power_w: null, load_power_w: null, temperature_c: null, fault_code: null };
function record(p: number, d: number, ts: number, e: number): AppliedRecord {
  const plant = tree.plants.get(`p${p}`)!;
  return { ...base, index: 0, sn: `S${p}-${d}`, tsMs: ts, status: 'normal', power_w: 5000, e_today_kwh: e, plant_id: plant.id, local_date: localDate(ts, plant.timezone), e_delta_kwh: 0.4, p_delta_w: 5000 };
}

// A day of live state: every device's report of each of the last 24 hours.
for (let p = 0; p < PLANTS; p++) {
  const batch: AppliedRecord[] = [];
  for (let d = 0; d < PER_PLANT; d++) for (let h = 0; h < 24; h++) batch.push(record(p, d, now - h * 3_600_000, 24 - h));
  live.apply(TelemetryBatch.of(batch), now);
}
const afterLive = heap();

// Rooms: the distributor, every installer, and 100 customers' screens.
const roomIds = ['d', ...Array.from({ length: INSTALLERS }, (_, i) => `i${i}`), ...Array.from({ length: 100 }, (_, c) => `c${c}`)];
const rooms = new LiveRooms(registry, live);
let t = performance.now();
for (const room of roomIds) rooms.snapshot(room, now);
const firstBuild = performance.now() - t;
const afterRooms = heap();
const rss = process.memoryUsage().rss;

const SECONDS = 15;
const seconds: number[] = [];
const applying: number[] = [];
/** Process CPU time of each second: on a machine shared with other work, steadier than the wall clock. */
const cpu: number[] = [];
const parsing: number[] = [];
let deltas = 0;
const profiles: Profiler.Profile[] = [];
async function runSeconds(from: number, to: number, profile?: Session): Promise<void> {
  for (let s = from; s <= to; s++) {
    const at = now + s * 1000;
    const batch: AppliedRecord[] = [];
    for (let k = 0; k < PER_SECOND; k++) batch.push(record((s * PER_SECOND + k) % PLANTS, k % PER_PLANT, at, 25));
    // The baseline: reading the same records from JSON, the least any server does with them.
    const json = JSON.stringify(batch);
    // As ingest hands it over: a columnar batch (built while the request is checked, not here).
    const columns = TelemetryBatch.of(batch);
    gc!();
    t = performance.now();
    JSON.parse(json);
    parsing.push(performance.now() - t);
    if (profile) await profile.post('Profiler.start');
    const c = process.cpuUsage();
    t = performance.now();
    live.apply(columns, at);
    applying.push(performance.now() - t);
    for (const room of roomIds) if (rooms.update(room, at) !== null) deltas++;
    seconds.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    if (profile) profiles.push((await profile.post('Profiler.stop')).profile);
  }
}
await runSeconds(1, SECONDS);
const rssAfter = process.memoryUsage().rss;

const perDevice = (bytes: number) => bytes / DEVICES;
const second = median(seconds);
console.log(`live state: ${fmt(DEVICES, 0)} devices, ${fmt(PLANTS, 0)} plants, ${fmt(1 + INSTALLERS + CUSTOMERS, 0)} tenants, ${roomIds.length} rooms (${process.version}, ${process.arch})`);
console.log(
  `  memory per device (heap and typed arrays): registry ${fmt(perDevice(afterRegistry - start), 0)} B, live state (a day of it) ${fmt(perDevice(afterLive - afterRegistry), 0)} B, rooms ${fmt(perDevice(afterRooms - afterLive), 0)} B; ` +
    `a plain Map of each device's latest record ${fmt(mapPerDevice, 0)} B (live state / Map ${fmt(perDevice(afterLive - afterRegistry) / mapPerDevice, 2)})`
);
console.log(`  RSS with all of it: ${fmt(rss / 2 ** 20, 0)} MiB after the rooms are built, ${fmt(rssAfter / 2 ** 20, 0)} MiB after the seconds below (goal < 2,048 MiB)`);
console.log(`  first snapshots of all rooms: ${fmt(firstBuild, 0)} ms`);
console.log(
  `  one second of telemetry (${fmt(PER_SECOND, 0)} records) applied and every room's delta made: p50 ${fmt(second, 1)} ms, worst ${fmt(Math.max(...seconds), 1)} ms ` +
    `(goal < 100 ms; the budget is 1,000 ms), ${fmt(deltas / seconds.length, 0)} rooms with a delta per second; ` +
    `process CPU p50 ${fmt(median(cpu), 1)} ms (${SECONDS} seconds)`
);
console.log(`    each second in turn (ms): ${seconds.map((ms) => fmt(ms, 0)).join(', ')}`);
console.log(
  `    of which applying the records: p50 ${fmt(median(applying), 1)} ms, ${fmt((median(applying) * 1000) / PER_SECOND, 2)} µs per record; ` +
    `JSON.parse of the same records ${fmt(median(parsing), 1)} ms (apply / parse ${fmt(median(applying) / median(parsing), 2)})`
);

// `--profile`: more seconds under the CPU profiler (not in the figures above), the
// functions that took the most of them by self time.
if (process.argv.includes('--profile')) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  seconds.length = applying.length = 0;
  await runSeconds(SECONDS + 1, SECONDS + 7, session);
  session.disconnect();
  const self = new Map<string, number>();
  let busy = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples!.forEach((id, i) => {
      const { functionName, url } = nodes.get(id)!.callFrame;
      // The profiler's own work (starting, stopping) is no one's.
      if (url === 'node:inspector' || functionName === 'dispatch' || functionName === '(program)' || functionName === '(idle)') return;
      const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(server|bench)\//, '$1/')}`;
      self.set(name, (self.get(name) ?? 0) + profile.timeDeltas![i]);
      busy += profile.timeDeltas![i];
    });
  }
  console.log(`  profile of 7 more seconds (p50 ${fmt(median(seconds), 1)} ms, applying ${fmt(median(applying), 1)} ms), self time:`);
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`    ${fmt((100 * us) / busy, 1)}% ${fmt(us / 7000, 2)} ms/s ${name}`);
}
