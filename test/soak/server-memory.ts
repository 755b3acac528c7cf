// What the server soak samples of the server's memory beside Node's own figures.
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
import { rows } from '../../server/db/store.ts';

export const MB = 2 ** 20;

/**
 * RssAnon, RssFile and the thread count from /proc/self/status, and the resident part of the
 * C heap that grows by brk ([heap] in /proc/self/smaps: glibc's main arena, where Node's own
 * buffers and sockets' memory go; the engine allocates through its own jemalloc), in MB.
 */
export function kernelRss(): { rssAnonMB: number; rssFileMB: number; brkHeapMB: number; threads: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  const smaps = readFileSync('/proc/self/smaps', 'utf8');
  const heap = smaps.indexOf(' [heap]\n');
  const heapRssKB = heap < 0 ? 0 : Number(/^Rss:\s+(\d+) kB/m.exec(smaps.slice(heap))?.[1] ?? NaN);
  return { rssAnonMB: field('RssAnon') / 1024, rssFileMB: field('RssFile') / 1024, brkHeapMB: heapRssKB / 1024, threads: field('Threads') };
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
  // Parts a merge replaced stay in memory (and on disk) as outdated until the table's cleanup
  // removes them; system.parts lists them with active = 0.
  // A part past min_bytes_for_wide_part (10 MB uncompressed) is written one file per column
  // (Wide) instead of one file for all (Compact); merges of such parts read and write a buffer
  // per column.
  const [parts] = await rows<{ parts: number; outdated: number; wide: number; wideTables: number; largest: number; rows: number; primaryKey: number; marks: number }>(
    store,
    `SELECT countIf(active) AS parts, countIf(NOT active) AS outdated, countIf(active AND part_type = 'Wide') AS wide, uniqExactIf(table, active AND part_type = 'Wide') AS wideTables,
            maxIf(data_uncompressed_bytes, active) AS largest, sumIf(rows, active) AS rows,
            sum(primary_key_bytes_in_memory_allocated) AS primaryKey, sumIf(marks_bytes, active) AS marks
     FROM system.parts`
  );
  // The engine remembers the columns it read from each file it was asked to read (the schema
  // inference cache), keyed by the file's path.
  const [inference] = await rows<{ entries: number }>(store, 'SELECT count() AS entries FROM system.schema_inference_cache');
  const [merges] = await rows<{ merges: number }>(store, 'SELECT count() AS merges FROM system.merges');
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
    outdatedParts: parts.outdated,
    wideParts: parts.wide,
    wideTables: parts.wideTables,
    largestPartMB: parts.largest / MB,
    merges: merges.merges,
    schemaCacheEntries: inference.entries,
    partRows: parts.rows,
    primaryKeyMB: parts.primaryKey / MB,
    marksOnDiskMB: parts.marks / MB,
    dedupLogEntries: dedupEntries
  };
}

