// Ingest throughput: records/s through POST /api/v1/telemetry (10k-record batches, every rollup
// on, real HTTP) against a raw insert of the same rows into a bare copy of the raw table (no
// views) in the same run. Rounds alternate so that both see the same machine.
// Then the server's own CPU per record against JSON.parse of the same bytes, and where it goes.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { insertRows, rows } from '../server/db/store.ts';
import type { TelemetryRecord } from '../server/model.ts';
import { localDate } from '../server/time/zones.ts';
import { api, ROOT_KEY, startServer } from '../test/faults/serverProcess.ts';
import { startClickHouseStandIn } from '../test/helpers/clickhouseStandIn.ts';
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

const body = (round: number, prefix = 'bench') => Buffer.from(JSON.stringify({ batch_id: `${prefix}-${round}`, records: batch(round) }));

/** POSTs a prepared body with node:http: the least client work this process can do. */
function post(bytes: Buffer, to = base, key = ROOT): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${to}/api/v1/telemetry`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const answer = JSON.parse(text) as { accepted: number };
        if (answer.accepted === BATCH) resolve();
        else reject(new Error(`answer: ${text.slice(0, 300)}`));
      });
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

const postBatch = (round: number) => post(body(round));

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


// --- The server's own CPU per record.
// The embedded engine runs inside this process: its queries run on libuv's worker threads and on
// threads of its own, and its own counters (system.events) miss the worker thread that runs each
// query (checked: they saw a third of an insert's CPU), so subtracting them would leave engine
// work in the server's figure. Instead, for these rounds the engine's inserts are replaced by a
// no-op that still reads the encoded body the way the connection does before handing it over:
// what is left is the server's work (HTTP, parse, validate, deltas, encoding, live apply, GC),
// plus this process's HTTP client and the per-batch ledger query, both counted against us.
const connection = (app.store as unknown as { connection: Record<'insert' | 'exec', (params: { query: string; values?: unknown; query_params?: Record<string, unknown> }) => Promise<unknown>> }).connection;
const realInsert = connection.insert;
const realExec = connection.exec;
let bytesHandedOver = 0;
const readBody = async (values: unknown) => {
  for await (const chunk of (typeof values === 'string' ? [values] : values) as AsyncIterable<string | Buffer>) bytesHandedOver += chunk.length;
};
const noWrite = { query_id: '', response_headers: {}, http_status_code: 200, summary: { written_rows: '0' } };
connection.insert = async (params) => (await readBody(params.values), noWrite);

connection.exec = async (params) => {
  if (!/^\s*INSERT/i.test(params.query)) return realExec.call(connection, params);
  // A Native block the server wrote to a file for the engine (insertNative) is read from there.
  if (params.values === undefined) bytesHandedOver += statSync(String(params.query_params?.path)).size;
  else await readBody(params.values);
  return { ...noWrite, stream: Readable.from([]) };
};

// Bodies are made beforehand and their garbage collected before each window (gc exposed
// below), so that neither window pays for the bench's own allocations.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const CPU_ROUNDS = 8;
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};
/** CPU ms per thread name of process `pid` since `from` (Linux: 10 ms ticks): which threads did the work. */
function threadCpu(from?: Map<string, number>, pid = process.pid): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '') + (process.env.BENCH_TIDS ? `:${tid}` : '');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // The thread ended meanwhile.
    }
  }
  if (from) for (const [name, ms] of from) byName.set(name, (byName.get(name) ?? 0) - ms);
  return byName;
}

/** The CPU in ms of process `pid`, its ended threads included (Linux: 10 ms ticks). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The main thread's CPU in ms (Linux: 10 ms ticks), a cross-check that needs no attribution. */
const mainThreadMs = () => {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
await post(body(round++, 'cpu')); // warm the path with the no-op in place
// The engine merges the parts of the rounds above in the background, in this process: wait.
for (let waited = 0; waited < 60_000; waited += 200) {
  const [{ n }] = await rows<{ n: number }>(app.store, 'SELECT count() AS n FROM system.merges');
  if (n === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}
// Server and baseline windows alternate, PASSES times, each over the same fresh bodies: the
// median of the ratios holds on a machine whose load comes and goes.
const PASSES = 3;
const passes: { server: number; main: number; parse: number }[] = [];
const byThread = new Map<string, number>();
const parseByThread = new Map<string, number>();
const addTo = (sum: Map<string, number>, add: Map<string, number>) => {
  for (const [name, ms] of add) sum.set(name, (sum.get(name) ?? 0) + ms);
};
for (let pass = 0; pass < PASSES; pass++) {
  const cpuBodies = Array.from({ length: CPU_ROUNDS }, () => body(round++, 'cpu'));
  const warm = Array.from({ length: 2 }, () => body(round++, 'cpu'));
  gc();
  // A full collection throws away optimized code that held on to objects it collected: two
  // batches first, so that the window sees the steady state rather than the compiler at work.
  for (const bytes of warm) await post(bytes);
  const threads0 = threadCpu();
  let c = process.cpuUsage();
  const main0 = mainThreadMs();
  for (const bytes of cpuBodies) await post(bytes);
  const server = cpuMs(c);
  const main = mainThreadMs() - main0;
  addTo(byThread, threadCpu(threads0));
  gc();
  const parseThreads0 = threadCpu();
  c = process.cpuUsage();
  for (const bytes of cpuBodies) JSON.parse(bytes.toString('utf8'));
  passes.push({ server, main, parse: cpuMs(c) });
  addTo(parseByThread, threadCpu(parseThreads0));
}
const median = <T>(xs: T[], by: (x: T) => number) => [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)];
const { server: serverCpu, main: mainCpu, parse: parseCpu } = median(passes, (p) => p.server / p.parse);
if (bytesHandedOver === 0) throw new Error('the no-op insert saw no rows: the insert path has moved');

// --- The same figure in server mode, as in production: ClickHouse in a process of its own (the
// stand-in ClickHouse server of the tests: its HTTP interface over the same engine), the Fleetwall
// server in another (server/main.ts with CLICKHOUSE_URL), this process only the client and the
// baseline. The server's process CPU is then its own work alone: real inserts, the ledger query
// and the late-record look-ups cost it what they cost a server, requests over HTTP.
const standIn = await startClickHouseStandIn();
const serverDir = mkdtempSync(join(tmpdir(), 'fleetwall-bench-ingest-'));
const serverMode = await startServer(serverDir, 0, { ...standIn.env, LOG_LEVEL: 'error' });
const serverPid = serverMode.child.pid!;
if (!(await api(serverMode.base, 'POST', '/api/v1/registry', fleet)).ok) throw new Error('server mode: the registry was refused');
const toServer = (bytes: Buffer) => post(bytes, serverMode.base, ROOT_KEY);
// Its own reports, five minutes apart, all in the past (the rounds above end near now). A server
// runs for weeks: the figure is its steady state, so a pass's worth of batches goes first, while
// the new process compiles its hot paths.
let modeRound = -80;
for (let w = 0; w < 16; w++) await toServer(body(modeRound++, 'mode'));
const MODE_ROUNDS = 16;
const MODE_PASSES = 5;
const modePasses: { server: number; main: number; database: number; parse: number }[] = [];
const modeThreads = new Map<string, number>();
for (let pass = 0; pass < MODE_PASSES; pass++) {
  const modeBodies = Array.from({ length: MODE_ROUNDS }, () => body(modeRound++, 'mode'));
  for (let w = 0; w < 2; w++) await toServer(body(modeRound++, 'mode'));
  gc();
  const threads0 = threadCpu(undefined, serverPid);
  const server0 = processCpuMs(serverPid);
  const database0 = processCpuMs(standIn.pid());
  for (const bytes of modeBodies) await toServer(bytes);
  const server = processCpuMs(serverPid) - server0;
  const database = processCpuMs(standIn.pid()) - database0;
  const threads = threadCpu(threads0, serverPid);
  addTo(modeThreads, threads);
  gc();
  const c = process.cpuUsage();
  for (const bytes of modeBodies) JSON.parse(bytes.toString('utf8'));
  modePasses.push({ server, main: threads.get('main') ?? 0, database, parse: cpuMs(c) });
}
const mode = median(modePasses, (p) => p.server / p.parse);
serverMode.child.kill('SIGTERM');
await serverMode.exited;
await standIn.close();
rmSync(serverDir, { recursive: true, force: true });

// Where it goes: the main thread's CPU profile over more rounds, each sample charged to the
// nearest stage on its stack. Shares are of the profiled time, scaled to the figure above.
const STAGES: [string, (fn: string, url: string) => boolean][] = [
  ['JSON.parse of the body', (fn, url) => url.includes('secure-json-parse') || fn === 'defaultJsonParser'],
  ['batch hash', (fn) => fn === 'bodyHash'],
  ['local date', (_, url) => url.endsWith('/server/time/zones.ts')],
  ['validate', (fn, url) => url.endsWith('/server/ingest/validate.ts') || ((fn === '#check' || fn === 'knownDevice') && url.endsWith('/server/ingest/ingest.ts'))],
  ['deltas', (fn) => fn === '#computeDeltas'],
  ['insert body (Native columns) and client', (fn, url) => fn === 'telemetryBlock' || url.endsWith('/server/db/store.ts') || url.endsWith('/server/db/native.ts')],
  ['live apply', (fn, url) => fn === 'apply' && url.endsWith('/server/live/state.ts')],
  ['garbage collector', (fn) => fn === '(garbage collector)'],
  ['bench HTTP client', (_, url) => url.endsWith('/bench/ingest.ts')]
];
const OTHER = 'HTTP, routing, schema, answer, other';
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
const bodies = Array.from({ length: CPU_ROUNDS }, () => body(round++, 'cpu'));
gc();
await session.post('Profiler.start');
for (const bytes of bodies) await post(bytes);
const { profile } = await session.post('Profiler.stop');
session.disconnect();
if (process.env.BENCH_PROFILE_OUT) writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile));
connection.insert = realInsert;
connection.exec = realExec;

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const stageOf = new Map<number, string | null>();
function stage(id: number): string | null {
  if (stageOf.has(id)) return stageOf.get(id)!;
  const { functionName, url } = nodes.get(id)!.callFrame;
  let found: string | null;
  // Idle time, and the profiler's own work when it is stopped, are no one's.
  if (functionName === '(idle)' || functionName === '(program)' || url === 'node:inspector') found = null;
  else {
    found = STAGES.find(([, matches]) => matches(functionName, url))?.[0] ?? null;
    const parent = parentOf.get(id);
    if (found === null && parent !== undefined) found = stage(parent);
    if (found === null && parent === undefined) found = OTHER;
  }
  stageOf.set(id, found);
  return found;
}
const profiled = new Map<string, number>();
let busy = 0;
profile.samples!.forEach((id, i) => {
  const s = stage(id);
  if (s === null) return;
  const dt = profile.timeDeltas![i];
  profiled.set(s, (profiled.get(s) ?? 0) + dt);
  busy += dt;
});

console.log(`ingest: batches of ${fmt(BATCH, 0)} records, ${ROUNDS} per figure, 10k devices in 1,000 plants`);
for (const line of results) console.log(line);
const perRecord = (ms: number) => (ms / (CPU_ROUNDS * BATCH)) * 1000;
const server = perRecord(serverCpu);
console.log(
  `  server CPU per record (process CPU, the engine's inserts a no-op): ${fmt(server, 2)} µs (main thread ${fmt(perRecord(mainCpu), 1)} µs), JSON.parse of the same bytes ${fmt(perRecord(parseCpu), 2)} µs, ratio ${fmt(serverCpu / parseCpu, 1)} (goal <= 3)`
);
const threadList = (m: Map<string, number>) => [...m].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]).map(([name, ms]) => `${name} ${ms}`).join(', ');
console.log(`    ratio of each pass: ${passes.map((p) => fmt(p.server / p.parse, 1)).join(', ')} (the median is the figure above)`);
console.log(`    by thread (ms over all ${PASSES * CPU_ROUNDS} batches, 10 ms ticks): server ${threadList(byThread)}; JSON.parse ${threadList(parseByThread)}`);
const modeRecord = (ms: number) => (ms / (MODE_ROUNDS * BATCH)) * 1000;
console.log(
  `  server CPU per record in server mode (Fleetwall and ClickHouse each in a process of its own, as in production): ${fmt(modeRecord(mode.server), 2)} µs (main thread ${fmt(modeRecord(mode.main), 1)} µs), JSON.parse of the same bytes ${fmt(modeRecord(mode.parse), 2)} µs, ratio ${fmt(mode.server / mode.parse, 1)} (goal <= 3); ClickHouse (the stand-in) ${fmt(modeRecord(mode.database), 1)} µs`
);
console.log(`    ratio of each pass: ${modePasses.map((p) => fmt(p.server / p.parse, 1)).join(', ')} (the median is the figure above)`);
console.log(`    by thread (ms over all ${MODE_PASSES * MODE_ROUNDS} batches, 10 ms ticks): server ${threadList(modeThreads)}`);
const breakdown = [...profiled].sort((a, b) => b[1] - a[1]).map(([name, t]) => `${name} ${fmt((server * t) / busy, 2)} µs (${fmt((100 * t) / busy, 0)}%)`);
console.log(`    by stage (main-thread profile, ${fmt(busy / 1000, 0)} ms sampled): ${breakdown.join(', ')}`);
await app.close();
