// Is the embedded engine's memory bounded under steady ingest, and what holds it? The real app
// on a fresh store (every rollup on, telemetry through insertNative) gets small batches from
// LOGGERS dataloggers posting one after another, as fast as the machine takes them, for MINUTES:
// tens of thousands of inserts, where the server soak makes 720 an hour. Every SAMPLE_SECONDS
// the process's memory and the engine's own accounts (server-memory.ts: its memory tracker,
// jemalloc, caches, active and outdated parts, the schema inference cache, the deduplication
// logs) are sampled; at the end they are printed against the number of batches stored.
//
//   MINUTES=40 node --expose-gc --import tsx test/soak/engine-memory.ts
//   COMPACT_ONLY=1 …      # no table ever writes a Wide part (to see what the first one costs)
//   NO_DEDUP_WINDOW=1 …   # no table keeps a deduplication window (whose filling is a known rise)
//   PAUSE_MS=5000 …       # each logger waits this long after each batch (the soak's pace)
//   CLEANUP_SECONDS=5 …   # every table's cleanup of replaced parts runs this often, busy or idle
//   CLOCK_RATE=10 …       # the records' clock runs 10 times real time, ending at now (0: every
//                         # record at one instant), to tell what grows with the records' time
//   node --import tsx test/soak/engine-memory.ts test-results/engine-memory.json   # the table again
//
// Samples: test-results/engine-memory.json (OUT=name.json: another file in test-results). The
// table gives, per 2,000 batches, each series' median and the engine's tracked memory at the
// sample with the fewest outdated parts: its floor, what it holds once the cleanup has removed
// what merges replaced; and the tracked memory less what the outdated parts of the moment hold
// (their slope fitted over the run).
import type { ClickHouseClient } from '@clickhouse/client';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticFleet } from '../../bench/lib.ts';
import { startTestApp } from '../helpers/app.ts';
import { post, record } from '../helpers/fleet.ts';
import { rows } from '../../server/db/store.ts';
import { engineMemory, kernelRss, MB } from './server-memory.ts';
import { sleep } from './trend.ts';

type EngineSample = Record<string, number>;

function table(samples: EngineSample[]): string {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const series = Object.keys(samples[0]).filter((k) => k !== 'seconds' && k !== 'batches');
  const buckets = new Map<number, EngineSample[]>();
  for (const s of samples) buckets.set(Math.floor(s.batches / 2_000), [...(buckets.get(Math.floor(s.batches / 2_000)) ?? []), s]);
  // What an outdated part holds: the slope of the engine's tracked memory against their count.
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const mx = mean(samples.map((s) => s.outdatedParts));
  const my = mean(samples.map((s) => s.engineTrackedMB));
  const perPart =
    samples.reduce((sum, s) => sum + (s.outdatedParts - mx) * (s.engineTrackedMB - my), 0) / samples.reduce((sum, s) => sum + (s.outdatedParts - mx) ** 2, 0);
  const lines = [
    `| batches | ${series.join(' | ')} | engineTrackedMB less outdated parts | engineTrackedMB at fewest outdated parts |`,
    `| --- | ${series.map(() => '---').join(' | ')} | --- | --- |`
  ];
  for (const [i, bucket] of buckets) {
    const floor = bucket.reduce((a, b) => (b.outdatedParts < a.outdatedParts ? b : a));
    const settled = median(bucket.map((s) => s.engineTrackedMB - perPart * s.outdatedParts)).toFixed(1);
    lines.push(`| ${i * 2}k–${i * 2 + 2}k | ${series.map((k) => median(bucket.map((s) => s[k]))).join(' | ')} | ${settled} | ${floor.engineTrackedMB} (${floor.outdatedParts}) |`);
  }
  return `${lines.join('\n')}\n\nAn outdated part: ${(perPart * 1024).toFixed(1)} KB of the engine's tracked memory (least squares over all samples).`;
}

if (process.argv[2]) {
  console.log(table((JSON.parse(readFileSync(process.argv[2], 'utf8')) as { samples: EngineSample[] }).samples));
} else {
  await run();
}

/** Sets `setting` (a constant of this file) on every table of the app's database that `where` (one too) picks. */
async function setOnTables(store: ClickHouseClient, where: string, setting: string): Promise<void> {
  const tables = await rows<{ name: string }>(store, `SELECT name FROM system.tables WHERE database = currentDatabase() AND ${where}`);
  for (const { name } of tables) await store.command({ query: `ALTER TABLE {table:Identifier} MODIFY SETTING ${setting}`, query_params: { table: name } });
}

async function run() {
  const MINUTES = Number(process.env.MINUTES ?? 40);
  const LOGGERS = Number(process.env.LOGGERS ?? 4);
  const RECORDS = Number(process.env.RECORDS ?? 10);
  const SAMPLE_SECONDS = Number(process.env.SAMPLE_SECONDS ?? 5);
  const PAUSE_MS = Number(process.env.PAUSE_MS ?? 0);
  const CLOCK_RATE = Number(process.env.CLOCK_RATE ?? 1);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');

  const t = await startTestApp();
  // A part is written Wide (a file per column) once it passes min_bytes_for_wide_part; 1 TB keeps
  // every part Compact (one file for all columns).
  if (process.env.COMPACT_ONLY) await setOnTables(t.store, "engine LIKE '%MergeTree'", 'min_bytes_for_wide_part = 1000000000000');
  if (process.env.NO_DEDUP_WINDOW) await setOnTables(t.store, "create_table_query LIKE '%non_replicated_deduplication_window%'", 'non_replicated_deduplication_window = 0');
  if (process.env.CLEANUP_SECONDS) {
    const period = Number(process.env.CLEANUP_SECONDS);
    if (!Number.isInteger(period) || period < 1) throw new Error(`CLEANUP_SECONDS must be a whole number of seconds: ${process.env.CLEANUP_SECONDS}`);
    await setOnTables(t.store, "engine LIKE '%MergeTree'", `cleanup_delay_period = ${period}, max_cleanup_delay_period = ${period}, cleanup_delay_period_random_add = 0`);
  }
  const fleet = syntheticFleet(1_000, 5);
  await t.app.registry.upsert({ kind: 'root' }, fleet);
  const devices = fleet.devices.map((d) => d.sn);
  const energy = new Map<string, number>();
  const t0 = Date.now();
  const end = t0 + MINUTES * 60_000;
  // The records' time runs at CLOCK_RATE from a start that makes a faster clock reach now at the
  // end, so that no record is ever in the future; a slower one starts at t0.
  const clockStart = CLOCK_RATE > 1 ? t0 - (end - t0) * (CLOCK_RATE - 1) : t0;
  const recordTime = () => new Date(clockStart + (Date.now() - t0) * CLOCK_RATE).toISOString();
  let batches = 0;
  let cursor = 0;

  async function logger(id: number) {
    for (let i = 0; Date.now() < end; i++) {
      const ts = recordTime();
      const records = Array.from({ length: RECORDS }, () => {
        const sn = devices[cursor++ % devices.length];
        const kwh = Number(((energy.get(sn) ?? 0) + 0.01).toFixed(2));
        energy.set(sn, kwh);
        return record(sn, ts, kwh, { power_w: 1000 + (cursor % 5000) });
      });
      const response = await post(t.app, t.root.authorization, { batch_id: `logger${id}-${i}`, records });
      if (response.statusCode !== 200) throw new Error(`logger ${id} batch ${i}: ${response.statusCode} ${response.body}`);
      batches++;
      if (PAUSE_MS > 0) await sleep(PAUSE_MS);
    }
  }

  const round = (x: number) => Number(x.toFixed(1));
  const samples: EngineSample[] = [];
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
        wideParts: engine.wideParts,
        largestPartMB: round(engine.largestPartMB),
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

  const dir = join(process.cwd(), 'test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, process.env.OUT ?? 'engine-memory.json'), JSON.stringify({ minutes: MINUTES, loggers: LOGGERS, records: RECORDS, batches, samples }, null, 1));
  console.log(`\n${table(samples)}\n\n${batches} batches of ${RECORDS} records from ${LOGGERS} loggers in ${MINUTES} min`);
}
