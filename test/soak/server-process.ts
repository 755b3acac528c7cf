// The server of the server soak, in its own process so that its memory and event loop are its
// own: the real app on the embedded engine (test/helpers/app.ts), listening on a port, with a
// synthetic fleet and its screens registered. It measures itself when the soak asks: RSS, the JS
// heap after a full collection (run with --expose-gc), and the event loop's delay since the last
// sample (monitorEventLoopDelay, the histogram Node keeps of how late its timers fire).
//
// RSS is split the way the kernel counts it, because the embedded engine is a 560 MB shared
// library mapped into this process: its code pages are file-backed (RssFile) and come and go
// with the page cache, while a leak is anonymous memory (RssAnon). Beside it, the engine's own
// accounts: what its memory tracker counts (MemoryTracking), what its allocator holds
// (jemalloc's allocated, resident, retained), its caches, and its tables' parts and primary
// keys, which grow with the data; and the deduplication logs, which grow by one entry per insert
// into each table that has a deduplication window until the window (10,000 inserts) is full.
import type { ClickHouseClient } from '@clickhouse/client';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { syntheticFleet } from '../../bench/lib.ts';
import { rows } from '../../server/db/store.ts';
import { startTestApp } from '../helpers/app.ts';

export type ServerCommand = { kind: 'sample' } | { kind: 'close' };
/** One sample's figures, in MB, ms and counts; the ones named here are the ones the soak judges or prints. */
export type ServerFigures = Record<string, number> &
  Record<'rssMB' | 'rssAnonMB' | 'rssFileMB' | 'heapMB' | 'engineTrackedMB' | 'jemallocResidentMB' | 'lagMeanMs' | 'lagP99Ms' | 'lagMaxMs', number>;
export type ServerReply =
  | { kind: 'ready'; url: string; rootKey: string; tokens: string[]; devices: string[] }
  | { kind: 'sample'; figures: ServerFigures };

const plants = Number(process.env.SOAK_PLANTS);
const perPlant = Number(process.env.SOAK_PER_PLANT);
const screens = Number(process.env.SOAK_SCREENS);
const send = (reply: ServerReply) => process.send!(reply);
const MB = 2 ** 20;

const t = await startTestApp();
const fleet = syntheticFleet(plants, perPlant);
await t.app.registry.upsert({ kind: 'root' }, fleet);
// Screens spread over the distributor and its customers, as a distributor's walls would be.
const tenants = fleet.tenants.map((tenant) => tenant.id);
const tokens: string[] = [];
for (let i = 0; i < screens; i++) tokens.push((await t.app.credentials.createScreen(tenants[i % tenants.length], `wall ${i}`)).token);
const url = await t.app.listen({ port: 0, host: '127.0.0.1' });

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

/** RssAnon and RssFile from /proc/self/status, in MB. */
function kernelRss(): { rssAnonMB: number; rssFileMB: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return { rssAnonMB: kb('RssAnon'), rssFileMB: kb('RssFile') };
}

/** The embedded engine's own memory figures, in MB (counts as they are). */
export async function engineMemory(store: ClickHouseClient) {
  const metrics = await rows<{ metric: string; value: number }>(
    store,
    `SELECT metric, value FROM system.metrics
     WHERE metric IN ('MemoryTracking', 'MergesMutationsMemoryTracking', 'MarkCacheBytes', 'PrimaryIndexCacheBytes', 'UncompressedCacheBytes', 'QueryConditionCacheBytes', 'QueryCacheBytes')
        OR metric LIKE '%CacheBytes'`
  );
  const metric = (name: string) => (metrics.find((m) => m.metric === name)?.value ?? 0) / MB;
  const caches = metrics.filter((m) => m.metric.endsWith('CacheBytes')).reduce((sum, m) => sum + m.value, 0) / MB;
  // jemalloc's one-line summary from malloc_stats_print: "Allocated: …, active: …, metadata: …
  // (…), resident: …, mapped: …, retained: …" (bytes). This engine build has no
  // system.asynchronous_metrics, where a server would show the same figures.
  const [{ stats }] = await rows<{ stats: string }>(store, 'SELECT stats FROM system.jemalloc_stats');
  const line = /^Allocated: (\d+), active: (\d+), metadata: (\d+).*resident: (\d+), mapped: (\d+), retained: (\d+)/m.exec(stats);
  const je = (i: number) => (line ? Number(line[i]) / MB : NaN);
  const [parts] = await rows<{ parts: number; rows: number; primaryKey: number; marks: number }>(
    store,
    `SELECT count() AS parts, sum(rows) AS rows, sum(primary_key_bytes_in_memory_allocated) AS primaryKey, sum(marks_bytes) AS marks
     FROM system.parts WHERE active`
  );
  // The deduplication logs live in each table's directory as text, one line per block.
  const tables = await rows<{ path: string }>(store, `SELECT arrayJoin(data_paths) AS path FROM system.tables WHERE database = currentDatabase()`);
  let dedupEntries = 0;
  for (const { path } of tables) {
    const dir = join(path, 'deduplication_logs');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) dedupEntries += readFileSync(join(dir, file), 'utf8').split('\n').length - 1;
  }
  return {
    engineTrackedMB: metric('MemoryTracking'),
    engineMergesMB: metric('MergesMutationsMemoryTracking'),
    jemallocAllocatedMB: je(1),
    jemallocActiveMB: je(2),
    jemallocMetadataMB: je(3),
    jemallocResidentMB: je(4),
    jemallocMappedMB: je(5),
    jemallocRetainedMB: je(6),
    engineCachesMB: caches,
    markCacheMB: metric('MarkCacheBytes'),
    primaryIndexCacheMB: metric('PrimaryIndexCacheBytes'),
    uncompressedCacheMB: metric('UncompressedCacheBytes'),
    queryConditionCacheMB: metric('QueryConditionCacheBytes'),
    parts: parts.parts,
    partRows: parts.rows,
    primaryKeyMB: parts.primaryKey / MB,
    marksOnDiskMB: parts.marks / MB,
    dedupLogEntries: dedupEntries
  };
}

process.on('message', async (command: ServerCommand) => {
  if (command.kind === 'sample') {
    const engine = await engineMemory(t.store);
    gc();
    const memory = process.memoryUsage();
    const kernel = kernelRss();
    const figures: ServerFigures = {
      rssMB: memory.rss / MB,
      ...kernel,
      // What is left of the anonymous RSS once the engine's allocator and V8's heap are taken
      // out: Node's own malloc (sockets, HTTP, buffers), thread stacks, compiled code.
      otherAnonMB: kernel.rssAnonMB - engine.jemallocResidentMB - memory.heapTotal / MB,
      heapMB: memory.heapUsed / MB,
      heapTotalMB: memory.heapTotal / MB,
      externalMB: memory.external / MB,
      arrayBuffersMB: memory.arrayBuffers / MB,
      ...engine,
      lagMeanMs: lag.mean / 1e6,
      lagP99Ms: lag.percentile(99) / 1e6,
      lagMaxMs: lag.max / 1e6
    };
    send({ kind: 'sample', figures });
    lag.reset();
  } else {
    lag.disable();
    await t.close();
    process.disconnect();
  }
});
send({ kind: 'ready', url, rootKey: t.root.authorization.replace(/^Bearer /, ''), tokens, devices: fleet.devices.map((d) => d.sn) });
