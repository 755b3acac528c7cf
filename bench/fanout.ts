// Fan-out: 1,000 real socket.io-client screens in another process (bench/fanout-clients.ts).
// 1. Latency: from the answer to POST /api/v1/telemetry to the delta carrying that batch arriving
//    at every screen (p50, p99), with the gateway's 1 s coalescing, batches at random phases.
// 2. Delivered messages/s of the same delta broadcast through Socket.IO against a plain `ws`
//    WebSocketServer in this process broadcasting the same JSON to 1,000 `ws` clients in the
//    same child process; alternating rounds, same run. Loopback only; one clock (the machine's).
import { spawn, spawnSync } from 'node:child_process';
import { setImmediate as tick } from 'node:timers/promises';
import { WebSocketServer } from 'ws';
import type { Delta } from '../server/contract.ts';
import { diffSnapshots } from '../server/live/diff.ts';
import { buildSnapshot } from '../server/live/view.ts';
import type { TelemetryRecord } from '../server/model.ts';
import type { Command, Reply } from './fanout-clients.ts';
import { benchApp, fmt, percentile, ROOT, syntheticFleet } from './lib.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 20);
/** Broadcasts per throughput round. */
const BURST = Number(process.env.BENCH_BURST ?? 20);
const ROUNDS = 2;
const PLANTS = 100;
const PER_PLANT = 5;
const DEVICES = PLANTS * PER_PLANT;

const clock = () => performance.timeOrigin + performance.now();
const fdLimit = Number(spawnSync('bash', ['-c', 'ulimit -n']).stdout.toString().trim());
if (fdLimit < 2 * CLIENTS + 256) console.warn(`fanout: ulimit -n is ${fdLimit}; this process holds ${2 * CLIENTS} sockets (raise it: ulimit -n 8192)`);

const fleet = syntheticFleet(PLANTS, PER_PLANT);
const { app } = await benchApp();
await app.registry.upsert({ kind: 'root' }, fleet);
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const post = async (path: string, body: unknown) => {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ROOT}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
};

// 1,000 screens of the distributor: one room of 1,000 sockets, one payload per tick.
const tokens: string[] = [];
let t = clock();
for (let i = 0; i < CLIENTS; i += 20) {
  const made = await Promise.all(Array.from({ length: Math.min(20, CLIENTS - i) }, (_, k) => post('/api/v1/screens', { tenant_id: 'd', name: `lobby ${i + k}` })));
  for (const m of made as { token: string }[]) tokens.push(m.token);
}
const screensSeconds = (clock() - t) / 1000;

// Every device reports in each batch with power 1000 + i W: the room's kpi.power_w names the batch.
const batch = (i: number): TelemetryRecord[] =>
  fleet.devices.map((d) => ({ sn: d.sn, ts: new Date().toISOString(), status: 'normal', power_w: 1000 + i, e_today_kwh: 1 + i / 100 }));
const powerOf = (i: number) => DEVICES * (1000 + i);
await post('/api/v1/telemetry', { records: batch(-1) });

const child = spawn('bash', ['-c', '[ "$(ulimit -n)" -ge 4096 ] || ulimit -n 4096; exec "$0" --import tsx bench/fanout-clients.ts', process.execPath], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc']
});
const ask = <K extends Reply['kind']>(command: Command) =>
  new Promise<Extract<Reply, { kind: K }>>((resolve) => {
    child.once('message', (reply) => resolve(reply as Extract<Reply, { kind: K }>));
    child.send(command);
  });
const collect = (total: number, timeoutMs: number) => ask<'arrived'>({ kind: 'await', total, timeoutMs });

const connected = await ask<'connected'>({ kind: 'socketio', url: base, tokens });
if (connected.clients !== CLIENTS) throw new Error(`only ${connected.clients} screens connected`);

// ---- 1. Latency. Batches at random gaps, so that they land anywhere in the 1 s tick.
child.send({ kind: 'reset' } satisfies Command);
const answeredAt: number[] = [];
for (let i = 0; i < BATCHES; i++) {
  await new Promise((r) => setTimeout(r, 1000 + Math.random() * 1000));
  await post('/api/v1/telemetry', { batch_id: `fanout-${i}`, records: batch(i) });
  answeredAt.push(clock());
}
await new Promise((r) => setTimeout(r, 2500));
const { arrivals } = await collect(0, 0);
const batchOf = new Map(Array.from({ length: BATCHES }, (_, i) => [powerOf(i), i]));
const firstAt = new Map<string, number>(); // client|batch -> arrival
for (const [client, at, power] of arrivals) {
  const i = power === null ? undefined : batchOf.get(power);
  const key = `${client}|${i}`;
  if (i !== undefined && !firstAt.has(key)) firstAt.set(key, at);
}
const latencies: number[] = [];
const spreads: number[] = [];
const waits: number[] = [];
for (let i = 0; i < BATCHES; i++) {
  const times: number[] = [];
  for (let c = 0; c < CLIENTS; c++) {
    const at = firstAt.get(`${c}|${i}`);
    if (at !== undefined) times.push(at);
  }
  for (const at of times) latencies.push(at - answeredAt[i]);
  if (times.length > 0) {
    waits.push(Math.min(...times) - answeredAt[i]);
    spreads.push(Math.max(...times) - Math.min(...times));
  }
}
const missing = CLIENTS * BATCHES - latencies.length;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const lat = sorted(latencies);
const wait = sorted(waits);
const spread = sorted(spreads);

// ---- 2. Delivered messages/s: the same delta, through Socket.IO and through raw ws.
// The gateway's ticks stop first: the throughput rounds must carry nothing but the test's messages.
app.gateway.close();
const before = buildSnapshot(app.registry, app.live, 'd', Date.now());
await post('/api/v1/telemetry', { records: batch(BATCHES) });
const delta = diffSnapshots(before, buildSnapshot(app.registry, app.live, 'd', Date.now()));
if (delta === null || delta === 'resync') throw new Error('no delta to broadcast');
const payloadBytes = Buffer.byteLength(JSON.stringify(delta));

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await new Promise((r) => wss.once('listening', r));
const wsUrl = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
const rawConnected = await ask<'connected'>({ kind: 'ws', url: wsUrl, count: CLIENTS });
if (rawConnected.clients !== CLIENTS) throw new Error(`only ${rawConnected.clients} ws clients connected`);

interface Rate { rate: number; cpuUs: number; clientCpuUs: number }
/** Messages/s delivered for BURST broadcasts (one turn of the event loop apart), and server CPU per message. */
async function deliveryRate(broadcast: (message: Delta) => void, round: number): Promise<Rate> {
  child.send({ kind: 'reset' } satisfies Command);
  await new Promise((r) => setTimeout(r, 200));
  const cpu = process.cpuUsage();
  const start = clock();
  for (let k = 0; k < BURST; k++) {
    broadcast({ ...delta as Delta, as_of: `round-${round}-${k}` });
    await tick();
  }
  const result = await collect(BURST * CLIENTS, 60_000);
  const used = process.cpuUsage(cpu);
  if (result.count < BURST * CLIENTS) throw new Error(`round ${round}: ${result.count} of ${BURST * CLIENTS} messages arrived`);
  return { rate: (result.count / (result.last - start)) * 1000, cpuUs: (used.user + used.system) / result.count, clientCpuUs: result.cpuUs / result.count };
}
const viaSocketIo = (message: Delta) => void app.io.emit('delta', message); // every socket: the room's 1,000 screens
const viaWs = (message: Delta) => {
  const data = JSON.stringify(message); // once per broadcast, as the ws docs' broadcast does
  for (const client of wss.clients) client.send(data);
};
const mean = (rates: Rate[]): Rate => ({
  rate: rates.reduce((a, r) => a + r.rate, 0) / rates.length,
  cpuUs: rates.reduce((a, r) => a + r.cpuUs, 0) / rates.length,
  clientCpuUs: rates.reduce((a, r) => a + r.clientCpuUs, 0) / rates.length
});
const rawRates: Rate[] = [];
const sioRates: Rate[] = [];
for (let r = 0; r < ROUNDS; r++) {
  rawRates.push(await deliveryRate(viaWs, 2 * r));
  sioRates.push(await deliveryRate(viaSocketIo, 2 * r + 1));
}
const raw = mean(rawRates);
const sio = mean(sioRates);

child.send({ kind: 'close' } satisfies Command);
await new Promise((r) => child.once('exit', r));
wss.close();

console.log(
  `fanout: ${fmt(CLIENTS, 0)} socket.io-client screens of one tenant (one room) in a child process, ${PLANTS} plants / ${DEVICES} devices; ` +
    `screens made through POST /api/v1/screens in ${fmt(screensSeconds)} s, connected in ${fmt(connected.seconds)} s`
);
console.log(
  `  ingest answer -> delta at every screen, ${BATCHES} batches at random phases, 1 s coalescing: p50 ${fmt(percentile(lat, 50), 0)} ms, p99 ${fmt(percentile(lat, 99), 0)} ms, ` +
    `max ${fmt(lat[lat.length - 1], 0)} ms (goal p99 <= 1,500 ms), ${missing} missed`
);
console.log(
  `    of which waiting for the tick (answer -> first screen): p50 ${fmt(percentile(wait, 50), 0)} ms, max ${fmt(wait[wait.length - 1], 0)} ms; ` +
    `fan-out (first -> last screen): p50 ${fmt(percentile(spread, 50), 0)} ms, max ${fmt(spread[spread.length - 1], 0)} ms`
);
console.log(
  `  delivered messages/s, ${fmt(payloadBytes / 1024)} KiB delta x ${BURST} broadcasts x ${fmt(CLIENTS, 0)} clients, ${ROUNDS} alternating rounds: ` +
    `Socket.IO ${fmt(sio.rate, 0)}/s, raw ws ${fmt(raw.rate, 0)}/s, ratio ${fmt(sio.rate / raw.rate, 2)} (goal >= 0.5)`
);
console.log(
  `    CPU per delivered message: server Socket.IO ${fmt(sio.cpuUs, 1)} µs, ws ${fmt(raw.cpuUs, 1)} µs; ` +
    `client process Socket.IO ${fmt(sio.clientCpuUs, 1)} µs, ws ${fmt(raw.clientCpuUs, 1)} µs (all ${fmt(CLIENTS, 0)} clients share one process: it sets the pace)`
);
await app.close();
