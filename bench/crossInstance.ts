// Several instances (REDIS_URL): what one second of a 1M-device fleet's telemetry (3,333 records,
// one vendor-cloud batch) costs to pass to the other instances. Its encoding on the stream against
// the same records as JSON objects (bytes, and encode + decode time); the receiving instance's
// work (decode, deltas against its own live state, apply) against the sending instance's apply of
// the same batch; and the trip through a real Redis (XADD, then a blocking XREAD on another
// connection), each from the same run.
import { createClient, RESP_TYPES } from 'redis';
import { TelemetryBatch, type AppliedFields } from '../server/ingest/batch.ts';
import { decodeBatch, encodeBatch } from '../server/ingest/batchCodec.ts';
import { computeDeltas, Marks } from '../server/ingest/deltas.ts';
import { STREAM_KEY } from '../server/live/fleetStream.ts';
import { LiveState } from '../server/live/state.ts';
import { localDate } from '../server/time/zones.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { fmt, percentile } from './lib.ts';

const DEVICES = 100_000;
const PER_SECOND = 3_333;
const ROUNDS = 30;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Australia/Sydney'];
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const now = Date.now();

function records(round: number): AppliedFields[] {
  return Array.from({ length: PER_SECOND }, (_, k) => {
    const d = (round * PER_SECOND + k) % DEVICES;
    const ts = now - 60_000 + round * 1_000;
    return {
      index: k,
      sn: `S${d}`,
      tsMs: ts,
      status: 'normal',
      power_w: 5000 + round,
      e_today_kwh: 10 + round * 0.01,
      e_total_kwh: 12000 + round,
      pv: [{ v: 600, i: 8.2, p: 4920 }, { v: 598, i: 8.1, p: null }],
      battery_soc: d % 3 === 0 ? 55 : null,
      battery_power_w: d % 3 === 0 ? -800 : null,
      grid_power_w: -300,
      load_power_w: 900,
      temperature_c: 41.5,
      fault_code: null,
      plant_id: `p${Math.floor(d / 10)}`,
      local_date: localDate(ts, ZONES[d % ZONES.length]),
      e_delta_kwh: 0.01,
      p_delta_w: 1
    };
  });
}

// Two live states that hold the same fleet: the sender's and the receiver's.
const sender = new LiveState({ offlineAfterMs: 15 * 60_000, now });
const receiver = new LiveState({ offlineAfterMs: 15 * 60_000, now });
for (let r = 0; r < DEVICES / PER_SECOND; r++) {
  const batch = records(-100 + r);
  sender.apply(TelemetryBatch.of(batch), now);
  receiver.apply(TelemetryBatch.of(batch), now);
}

const marks = new Marks();
const t = { json: [] as number[], columns: [] as number[], apply: [] as number[], foreign: [] as number[] };
let jsonBytes = 0;
let columnBytes = 0;
for (let round = 0; round < ROUNDS; round++) {
  const objects = records(round);
  const batch = TelemetryBatch.of(objects);
  let at = performance.now();
  const text = JSON.stringify(objects);
  JSON.parse(text);
  t.json.push(performance.now() - at);
  at = performance.now();
  sender.apply(batch, now);
  t.apply.push(performance.now() - at);
  at = performance.now();
  const bytes = encodeBatch(batch);
  decodeBatch(bytes);
  t.columns.push(performance.now() - at);
  at = performance.now();
  const received = decodeBatch(bytes);
  await computeDeltas(receiver, received, now, marks, null);
  receiver.apply(received, now);
  t.foreign.push(performance.now() - at);
  jsonBytes = Buffer.byteLength(text);
  columnBytes = bytes.length;
}

// The trip through Redis: one connection adds, another waits in XREAD as an instance does.
const redisServer = await startRedis();
const writer = createClient({ url: redisServer.url });
await writer.connect();
const reader = writer.duplicate().withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
await reader.connect();
const trips: number[] = [];
const bytes = encodeBatch(TelemetryBatch.of(records(0)));
let from = '$';
for (let round = 0; round < ROUNDS; round++) {
  const read = reader.xRead({ key: STREAM_KEY, id: from }, { COUNT: 1, BLOCK: 5_000 });
  await new Promise((resolve) => setTimeout(resolve, 5));
  const at = performance.now();
  from = await writer.xAdd(STREAM_KEY, '*', { i: 'bench', b: bytes }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: 100_000 } });
  const reply = await read;
  decodeBatch(reply![0].messages[0].message.b as Buffer);
  trips.push(performance.now() - at);
}
reader.destroy();
writer.destroy();
await redisServer.close();

console.log(`\ncross-instance: one second of a 1M-device fleet (${PER_SECOND} records in one batch) into live states of ${fmt(DEVICES, 0)} devices, ${ROUNDS} rounds, medians`);
console.log(`  bytes on the stream        ${fmt(columnBytes / 1024)} KiB columns vs ${fmt(jsonBytes / 1024)} KiB JSON objects: ${fmt(columnBytes / jsonBytes, 2)}x`);
console.log(`  encode + decode            ${fmt(median(t.columns), 2)} ms columns vs ${fmt(median(t.json), 2)} ms JSON: ${fmt(median(t.columns) / median(t.json), 2)}x`);
console.log(`  receiving instance's work  ${fmt(median(t.foreign), 2)} ms (decode, deltas, apply) vs ${fmt(median(t.apply), 2)} ms the sender's apply: ${fmt(median(t.foreign) / median(t.apply), 2)}x`);
console.log(`  Redis trip (XADD -> XREAD) ${fmt(median(trips), 2)} ms median, ${fmt(percentile([...trips].sort((a, b) => a - b), 95), 2)} ms p95, of the 1,000 ms a delta may wait`);
