// Is the embedded engine's memory bounded under steady ingest, and what holds it? The real app
// on a fresh store (every rollup on, telemetry through insertNative) gets small batches from
// LOGGERS dataloggers posting one after another, as fast as the machine takes them, for MINUTES:
// tens of thousands of inserts, where the server soak makes 720 an hour. Every SAMPLE_SECONDS
// the process's memory and the engine's own accounts (server-memory.ts: its memory tracker,
// jemalloc, caches, active and outdated parts, the schema inference cache, the deduplication
// logs) are sampled; at the end they are printed against the number of batches stored.
//
//   MINUTES=25 node --expose-gc --import tsx test/soak/engine-memory.ts
//
// Samples: test-results/soak/engine-memory.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticFleet } from '../../bench/lib.ts';
import { startTestApp } from '../helpers/app.ts';
import { post, record } from '../helpers/fleet.ts';
import { engineMemory, kernelRss, MB } from './server-memory.ts';
import { sleep } from './trend.ts';

const MINUTES = Number(process.env.MINUTES ?? 25);
const LOGGERS = Number(process.env.LOGGERS ?? 4);
const RECORDS = Number(process.env.RECORDS ?? 20);
const SAMPLE_SECONDS = Number(process.env.SAMPLE_SECONDS ?? 5);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const t = await startTestApp();
const fleet = syntheticFleet(1_000, 5);
await t.app.registry.upsert({ kind: 'root' }, fleet);
const devices = fleet.devices.map((d) => d.sn);
const energy = new Map<string, number>();
const t0 = Date.now();
const end = t0 + MINUTES * 60_000;
let batches = 0;
let cursor = 0;

async function logger(id: number) {
  for (let i = 0; Date.now() < end; i++) {
    const ts = new Date().toISOString();
    const records = Array.from({ length: RECORDS }, () => {
      const sn = devices[cursor++ % devices.length];
      const kwh = Number(((energy.get(sn) ?? 0) + 0.01).toFixed(2));
      energy.set(sn, kwh);
      return record(sn, ts, kwh, { power_w: 1000 + (cursor % 5000) });
    });
    const response = await post(t.app, t.root.authorization, { batch_id: `logger${id}-${i}`, records });
    if (response.statusCode !== 200) throw new Error(`logger ${id} batch ${i}: ${response.statusCode} ${response.body}`);
    batches++;
  }
}

const round = (x: number) => Number(x.toFixed(1));
const samples: Record<string, number>[] = [];
async function sampler() {
  for (let i = 0; Date.now() < end + SAMPLE_SECONDS * 1000; i++) {
    const at = batches;
    gc!();
    const engine = await engineMemory(t.store);
    const kernel = kernelRss();
    const memory = process.memoryUsage();
    const sample = {
      seconds: Math.round((Date.now() - t0) / 1000),
      batches: at,
      rssMB: round(memory.rss / MB),
      rssAnonMB: round(kernel.rssAnonMB),
      heapMB: round(memory.heapUsed / MB),
      engineTrackedMB: round(engine.engineTrackedMB),
      jemallocAllocatedMB: round(engine.jemallocAllocatedMB),
      jemallocResidentMB: round(engine.jemallocResidentMB),
      engineCachesMB: round(engine.engineCachesMB),
      parts: engine.parts,
      outdatedParts: engine.outdatedParts,
      merges: engine.merges,
      schemaCacheEntries: engine.schemaCacheEntries,
      dedupLogEntries: engine.dedupLogEntries
    };
    samples.push(sample);
    console.log(JSON.stringify(sample));
    await sleep(t0 + (i + 1) * SAMPLE_SECONDS * 1000 - Date.now());
  }
}

await Promise.all([sampler(), ...Array.from({ length: LOGGERS }, (_, id) => logger(id))]);
await t.close();

// The medians of each stretch of 2,000 batches: memory against inserts, without the sawtooth.
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const series = Object.keys(samples[0]).filter((k) => k !== 'seconds');
const buckets = new Map<number, typeof samples>();
for (const s of samples) buckets.set(Math.floor(s.batches / 2_000), [...(buckets.get(Math.floor(s.batches / 2_000)) ?? []), s]);
console.log(`\n| ${series.join(' | ')} |\n| ${series.map(() => '---').join(' | ')} |`);
for (const [i, bucket] of buckets) console.log(`| ${series.map((k) => (k === 'batches' ? `${i * 2}k–${i * 2 + 2}k` : median(bucket.map((s) => s[k])))).join(' | ')} |`);
const dir = join(process.cwd(), 'test-results', 'soak');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'engine-memory.json'), JSON.stringify({ minutes: MINUTES, loggers: LOGGERS, records: RECORDS, batches, samples }, null, 1));
console.log(`\n${batches} batches of ${RECORDS} records from ${LOGGERS} loggers in ${MINUTES} min`);
