// The server for SOAK_MINUTES (60 by default) under steady ingest with 500 screens connected:
// its RSS, JS heap and event-loop delay sampled every SAMPLE_SECONDS (and, on a run long enough
// to pass its own warm-up, the engine's memory) must be flat after the warm-up: the line through each 5-minute window's median rises less than its limit, or not by
// three standard errors (trend.ts). The engine's own memory and RSS's parts are sampled beside
// them (server-memory.ts) to say where a rise comes from. Three processes, so each one's figures are its own: the server
// (server-process.ts), the screens (screens.ts), and this one, which posts the telemetry.
//
// The rate: SOAK_DEVICES devices (20,000 by default: 4,000 plants of 5) reporting every 5 minutes,
// 67 records a second, posted as one batch every 5 s. A large distributor's fleet; a million
// devices (3,333 records/s) is the benchmarks' business, not a two-core machine shared with a
// browser soak.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryRecord } from '../../server/model.ts';
import { record } from '../helpers/fleet.ts';
import { SERVER_NODE_FLAGS } from '../helpers/serverFlags.ts';
import type { ServerCommand, ServerReply } from './server-process.ts';
import type { ScreensCommand, ScreensReply } from './screens.ts';
import { describeTrend, SAMPLE_SECONDS, saveSoak, sleep, SOAK_MINUTES, SOAK_TIMEOUT_MS, trend, WARMUP_MINUTES, WINDOW_MINUTES, type Sample } from './trend.ts';

const PER_PLANT = 5;
const DEVICES = Number(process.env.SOAK_DEVICES ?? 20_000);
const SCREENS = Number(process.env.SOAK_SCREENS ?? 500);
// SOAK_CADENCE_SECONDS shortens the reporting period to push more rows through in a short run
// (the store's growth per hour scales with it); the fleet stays the same.
const CADENCE_MS = Number(process.env.SOAK_CADENCE_SECONDS ?? 300) * 1000;
const BATCH_EVERY_MS = 5_000;
// Hours of the fleet's reports in the store before the clock starts, in batches of HISTORY_BATCH
// records (see the history below).
const HISTORY_HOURS = Number(process.env.SOAK_HISTORY_HOURS ?? 24);
const HISTORY_BATCH = 500;
// Growth limits per hour. A server runs for months: 10 MB of RSS an hour is 7 GB a month. The
// JS heap, measured after a full collection, is tighter: 5 MB an hour is a leak of ~20 bytes
// per record. Event-loop delay (p99) creeping up 5 ms an hour means work per tick that grows.
// The engine's memory is judged by what its allocator hands out (jemalloc's allocated bytes),
// which a rise shows before RSS does (jemalloc serves it from pages it already holds). Not by
// its memory tracker (MemoryTracking): that is a running count of allocations and frees that
// drifts, which a ClickHouse server corrects from measured memory every second and the embedded
// engine never does; at the soak's pace it climbs ~5.5 MB/h while the allocated bytes stay flat
// (test/RESULTS.md, "The engine's memory tracker drifts").
const LIMITS = { rssMB: 10, heapMB: 5, lagP99Ms: 5, jemallocAllocatedMB: 5 };
// The engine's own memory has a warm-up of its own: every table with a deduplication window keeps
// the ids of its last DEDUP_WINDOW inserted blocks (non_replicated_deduplication_window in
// aggregates/migrations), ~120 bytes each, until each table has taken that many inserts: 10,000
// batches, 14 hours at one batch every 5 s. The history before the clock takes that many (a day
// of it does); with less, the engine's figure is judged once the soak's own batches have filled
// the windows, and a soak too short for that prints it without a verdict.
// test/soak/engine-memory.ts goes past the windows in half an hour (test/RESULTS.md, "Engine
// memory against inserts").
const DEDUP_WINDOW = 10_000;

function child<C, R extends { kind: string }>(script: string, args: string[], env: Record<string, string>) {
  const proc: ChildProcess = spawn(process.execPath, [...args, '--import', 'tsx', script], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env }
  });
  const replies: R[] = [];
  const waiting: { resolve: (reply: R) => void; reject: (error: Error) => void }[] = [];
  let exited: Error | null = null;
  proc.on('message', (reply: R) => (waiting.length ? waiting.shift()!.resolve(reply) : replies.push(reply)));
  proc.on('exit', (code) => {
    exited = new Error(`${script} exited (${code})`);
    for (const w of waiting.splice(0)) w.reject(exited);
  });
  const next = () => new Promise<R>((resolve, reject) => {
    if (replies.length) return resolve(replies.shift()!);
    if (exited) return reject(exited);
    waiting.push({ resolve, reject });
  });
  return {
    proc,
    next,
    ask: async <K extends R['kind']>(command: C): Promise<Extract<R, { kind: K }>> => {
      proc.send(command as object);
      return (await next()) as Extract<R, { kind: K }>;
    }
  };
}

let server: ReturnType<typeof child<ServerCommand, ServerReply>>;
let screens: ReturnType<typeof child<ScreensCommand, ScreensReply>>;
let ready: Extract<ServerReply, { kind: 'ready' }>;

beforeAll(async () => {
  server = child<ServerCommand, ServerReply>('test/soak/server-process.ts', [...SERVER_NODE_FLAGS, '--expose-gc'], {
    SOAK_PLANTS: String(Math.ceil(DEVICES / PER_PLANT)),
    SOAK_PER_PLANT: String(PER_PLANT),
    SOAK_SCREENS: String(SCREENS)
  });
  ready = (await server.next()) as typeof ready;
  screens = child<ScreensCommand, ScreensReply>('test/soak/screens.ts', [], {});
  const opened = await screens.ask<'open'>({ kind: 'open', url: ready.url, tokens: ready.tokens });
  expect(opened.connected).toBe(SCREENS);
});

afterAll(async () => {
  if (screens) await screens.ask({ kind: 'close' }).catch(() => undefined);
  if (server) await server.ask({ kind: 'close' }).catch(() => undefined);
});

describe('server soak', () => {
  it(`${SOAK_MINUTES} min of ingest (${DEVICES} devices every ${CADENCE_MS / 60_000} min) with ${SCREENS} screens: RSS, heap and event-loop delay flat after the warm-up`, { timeout: SOAK_TIMEOUT_MS }, async () => {
    const perBatch = Math.round((DEVICES * BATCH_EVERY_MS) / CADENCE_MS);
    const energy = new Map<string, number>();
    let cursor = 0;
    let sent = 0;
    let accepted = 0;
    const failures: string[] = [];
    const post = async (batchId: string, records: TelemetryRecord[]) => {
      const response = await fetch(`${ready.url}/api/v1/telemetry`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ready.rootKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batch_id: batchId, records })
      });
      sent += records.length;
      if (response.ok) accepted += ((await response.json()) as { accepted: number }).accepted;
      else failures.push(`${response.status} ${await response.text()}`);
    };
    const next = (ts: string) => {
      const sn = ready.devices[cursor++ % ready.devices.length];
      const kwh = (energy.get(sn) ?? 0) + 0.1;
      energy.set(sn, kwh);
      return record(sn, ts, Number(kwh.toFixed(1)), { power_w: 1000 + (cursor % 5000) });
    };
    // The store starts with the fleet's last HISTORY_HOURS of reports, as a server that has been
    // running holds them, posted as fast as the server takes them, two batches in flight. Two
    // warm-ups of the engine are then behind it, where on an empty store they fell inside the hour:
    // - A table's first Wide part (a part past min_bytes_for_wide_part, 10 MB uncompressed, written
    //   a file per column), whose merges hold a buffer per column. On an empty store telemetry's
    //   came at ~69,000 records (minute ~17 at this rate), with the ~20 MB step between minutes 15
    //   and 25 of every run before; with 6 hours of history, a second Wide part came at minute 9,
    //   and the step with it (whether the Wide part makes the step is not shown). After a day,
    //   telemetry and plant_power_5min (a partition a day) hold Wide parts.
    // - The deduplication windows: each table with one keeps the ids of its last 10,000 inserted
    //   blocks (DEDUP_WINDOW), so the engine's memory rises with every insert until the 10,000th.
    //   The history comes in batches of HISTORY_BATCH records, 11,520 of them for a day, so the
    //   windows are full before the clock starts (test/RESULTS.md, "Server soak, sixth to eighth runs").
    const history = HISTORY_HOURS * 3_600_000;
    const since = Date.now() - history;
    const perCadence = Math.ceil(ready.devices.length / HISTORY_BATCH);
    const batches = Math.floor(history / CADENCE_MS) * perCadence;
    let b = 0;
    const historyPoster = async () => {
      while (b < batches) {
        const n = b++;
        const i = (n % perCadence) * HISTORY_BATCH;
        const ts = new Date(since + Math.floor(n / perCadence) * CADENCE_MS + Math.floor((i / ready.devices.length) * CADENCE_MS)).toISOString();
        await post(`soak-history-${n}`, Array.from({ length: Math.min(HISTORY_BATCH, ready.devices.length - i) }, () => next(ts)));
      }
    };
    await Promise.all([historyPoster(), historyPoster()]);
    // Every device reports once more before the clock starts: the live state holds the whole
    // fleet, so what grows afterwards is not the fleet arriving.
    for (let i = 0; i < ready.devices.length; i += 5_000) {
      const ts = new Date().toISOString();
      await post(`soak-prime-${i}`, Array.from({ length: Math.min(5_000, ready.devices.length - i) }, () => next(ts)));
    }
    const primed = await server.ask<'sample'>({ kind: 'sample' });
    console.log(
      `server soak: ${sent} records before the clock (${HISTORY_HOURS} h of history in ${batches} batches), ${primed.figures.wideParts} Wide parts in ${primed.figures.wideTables} tables, largest ${primed.figures.largestPartMB.toFixed(1)} MB uncompressed, rss ${primed.figures.rssMB.toFixed(1)} MB`
    );

    const t0 = Date.now();
    const end = t0 + SOAK_MINUTES * 60_000;

    const ingest = async () => {
      for (let i = 1; Date.now() < end; i++) {
        const ts = new Date().toISOString();
        await post(`soak-${i}`, Array.from({ length: perBatch }, () => next(ts)));
        await sleep(t0 + i * BATCH_EVERY_MS - Date.now());
      }
    };

    const samples: Sample[] = [];
    const run = () => ({ devices: DEVICES, screens: SCREENS, recordsPerSecond: DEVICES / (CADENCE_MS / 1000), sent, accepted });
    const measure = async () => {
      for (let i = 0; Date.now() < end; i++) {
        const { figures: s } = await server.ask<'sample'>({ kind: 'sample' });
        const c = await screens.ask<'sample'>({ kind: 'sample' });
        const row: Sample = {
          t: Date.now() - t0,
          ...s,
          screens: c.connected,
          silent: c.silent,
          messages: c.messages,
          reconnects: c.reconnects,
          accepted
        };
        samples.push(row);
        // Kept as it grows, so that a run cut short still leaves its series.
        saveSoak('server', samples, [], run());
        console.log(
          `server soak ${(row.t / 60_000).toFixed(1)} min: rss ${s.rssMB.toFixed(1)} MB (anon ${s.rssAnonMB.toFixed(1)}, file ${s.rssFileMB.toFixed(1)}), engine tracked ${s.engineTrackedMB.toFixed(1)} MB, jemalloc allocated ${s.jemallocAllocatedMB.toFixed(1)} MB, resident ${s.jemallocResidentMB.toFixed(1)} MB, ${s.wideParts} Wide parts in ${s.wideTables} tables, heap ${s.heapMB.toFixed(1)} MB, lag mean ${s.lagMeanMs.toFixed(1)} p99 ${s.lagP99Ms.toFixed(1)} max ${s.lagMaxMs.toFixed(1)} ms, screens ${c.connected} (silent ${c.silent}, ${c.messages} messages, ${c.reconnects} reconnects), ${accepted} records`
        );
        await sleep(t0 + (i + 1) * SAMPLE_SECONDS * 1000 - Date.now());
      }
    };
    await Promise.all([ingest(), measure()]);

    // Lines through 5-minute medians: RSS moves in a sawtooth of ±30 MB a few minutes long (see
    // test/RESULTS.md), which a line through every 30-s sample mistakes for a slope.
    const windowMs = WINDOW_MINUTES * 60_000;
    // The engine's figure also saws: parts that merges replaced are held until the tables'
    // cleanup removes them, every 30 s to 5 minutes (cleanup_delay_period, max_cleanup_delay_period).
    const engineWarmupMs = Math.max(0, DEDUP_WINDOW - batches) * BATCH_EVERY_MS;
    const engineFromMs = Math.max(engineWarmupMs, WARMUP_MINUTES * 60_000);
    const engineJudged = SOAK_MINUTES * 60_000 >= engineFromMs + 3 * windowMs;
    const trends = [
      trend(samples, 'rssMB', 'MB', LIMITS.rssMB, { windowMs }),
      trend(samples, 'heapMB', 'MB', LIMITS.heapMB, { windowMs }),
      trend(samples, 'lagP99Ms', 'ms', LIMITS.lagP99Ms, { windowMs }),
      ...(engineJudged ? [trend(samples, 'jemallocAllocatedMB', 'MB', LIMITS.jemallocAllocatedMB, { windowMs, warmupMs: engineFromMs })] : [])
    ];
    const file = saveSoak('server', samples, trends, run());
    for (const tr of trends) console.log(`server soak ${describeTrend(tr)}`);
    if (!engineJudged) {
      const why =
        engineWarmupMs > WARMUP_MINUTES * 60_000
          ? `its deduplication windows fill for the first ${(engineWarmupMs / 3_600_000).toFixed(1)} h (SOAK_MINUTES=${Math.ceil(engineWarmupMs / 60_000) + 30} or a day of history, SOAK_HISTORY_HOURS=24, to judge it)`
          : 'the run is too short for three windows after the warm-up';
      console.log(`server soak jemallocAllocatedMB: not judged, ${why}`);
    }
    console.log(`server soak: ${sent} records sent, ${accepted} accepted; samples: ${file}`);

    expect(failures).toEqual([]);
    expect(accepted).toBe(sent);
    // Every screen stayed connected and heard from the server at every sample.
    expect(samples.filter((s) => s.screens !== SCREENS || s.silent > 0).map((s) => Math.round(s.t / 1000))).toEqual([]);
    expect(trends.filter((tr) => tr.growing).map(describeTrend)).toEqual([]);
  });
});
