// Does any one kind of call leave memory in the embedded engine? The server soak sees the
// engine's tracked memory rise with its deduplication windows full (test/RESULTS.md); this takes
// the calls the server makes one kind at a time, on the engine alone (no app), and measures what
// each leaves behind: every kind runs CALLS times, then merges are forced and the replaced parts
// left to the engine's cleanup until none is outdated, and the engine's tracked memory and
// jemalloc's allocated bytes are compared with where they were before the kind ran. Each kind is
// run once before any is measured: a process's first inserts take memory the engine keeps
// (thread pools, buffers), which would otherwise be charged to whichever kind comes first.
//
//   CALLS=3000 node --import tsx test/soak/engine-calls.ts
//   KINDS=insertNativeWide,insertNativeViews CALLS=3000 node --import tsx test/soak/engine-calls.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeBlock } from '../../server/db/native.ts';
import { createStore, insertNative, insertRows, rows } from '../../server/db/store.ts';
import { MB } from './server-memory.ts';
import { sleep } from './trend.ts';

const CALLS = Number(process.env.CALLS ?? 3_000);
const dataDir = mkdtempSync(join(tmpdir(), 'engine-calls-'));
const store = createStore({ dataDir, clickhouse: null });

// Replaced parts go at the engine's next cleanup, not after the default 8 minutes.
const FAST_CLEANUP = 'old_parts_lifetime = 1';
const WIDE = 'min_bytes_for_wide_part = 0, min_rows_for_wide_part = 0';
const tables: Record<string, string> = {
  plain: `(ts DateTime64(3, 'UTC'), v Float64) ENGINE = MergeTree ORDER BY ts SETTINGS ${FAST_CLEANUP}`,
  windowed: `(ts DateTime64(3, 'UTC'), v Float64) ENGINE = MergeTree ORDER BY ts SETTINGS ${FAST_CLEANUP}, non_replicated_deduplication_window = 100`,
  viewed: `(ts DateTime64(3, 'UTC'), v Float64) ENGINE = MergeTree ORDER BY ts SETTINGS ${FAST_CLEANUP}`,
  wide: `(ts DateTime64(3, 'UTC'), v Float64, n Nullable(Float64)) ENGINE = MergeTree ORDER BY ts SETTINGS ${FAST_CLEANUP}, ${WIDE}`
};
// Three hourly rollups of `viewed`, as the app's rollups follow telemetry (windowed, as the app's are).
const views = [1, 2, 3].map((k) => `viewed_${k}`);

function block(rowCount: number, from: number, nullable = false): NativeBlock {
  const b = new NativeBlock(rowCount);
  b.dateTime64ms('ts', Float64Array.from({ length: rowCount }, (_, k) => from + k)).float64('v', Float64Array.from({ length: rowCount }, (_, k) => k));
  return nullable ? b.nullableFloat64('n', new Float64Array(rowCount)) : b;
}
const T0 = Date.UTC(2026, 0, 1);

const kinds: Record<string, (i: number) => Promise<unknown>> = {
  selectWithParameters: (i) => rows(store, 'SELECT number + {i:UInt32} AS n FROM numbers(300)', { i }),
  insertRows: (i) => insertRows(store, 'plain', Array.from({ length: 20 }, (_, k) => ({ ts: T0 + i * 1_000 + k, v: k }))),
  insertNative: (i) => insertNative(store, 'plain', block(20, T0 + i * 1_000)),
  insertNativeWindowed: (i) => insertNative(store, 'windowed', block(20, T0 + i * 1_000)),
  insertNativeViews: (i) => insertNative(store, 'viewed', block(20, T0 + i * 1_000)),
  insertNativeWide: (i) => insertNative(store, 'wide', block(300, T0 + i * 1_000, true))
};

async function engine() {
  const [{ tracked }] = await rows<{ tracked: number }>(store, "SELECT value AS tracked FROM system.metrics WHERE metric = 'MemoryTracking'");
  const [{ stats }] = await rows<{ stats: string }>(store, 'SELECT stats FROM system.jemalloc_stats');
  return { tracked, allocated: Number(/^Allocated: (\d+)/m.exec(stats)?.[1] ?? NaN) };
}

/** Every table merged to one part and every replaced part removed (at most 5 minutes). */
async function settle(): Promise<{ active: number; outdated: number }> {
  for (const table of [...Object.keys(tables), ...views]) await store.command({ query: 'OPTIMIZE TABLE {table:Identifier} FINAL', query_params: { table } });
  for (let wait = 0; wait < 60; wait++) {
    const [{ outdated }] = await rows<{ outdated: number }>(store, 'SELECT countIf(NOT active) AS outdated FROM system.parts');
    if (outdated === 0) break;
    await sleep(5_000);
  }
  const [parts] = await rows<{ current: number; outdated: number }>(store, 'SELECT countIf(active) AS current, countIf(NOT active) AS outdated FROM system.parts');
  return { active: parts.current, outdated: parts.outdated };
}

try {
  // Names go as identifiers; the definitions are this file's constants.
  for (const [table, columns] of Object.entries(tables)) await store.command({ query: `CREATE TABLE {table:Identifier} ${columns}`, query_params: { table } });
  for (const table of views) {
    await store.command({
      query: `CREATE TABLE {table:Identifier} (hour DateTime, v Float64) ENGINE = SummingMergeTree ORDER BY hour SETTINGS ${FAST_CLEANUP}, non_replicated_deduplication_window = 100`,
      query_params: { table }
    });
    await store.command({
      query: 'CREATE MATERIALIZED VIEW {view:Identifier} TO {table:Identifier} AS SELECT toStartOfHour(ts) AS hour, sum(v) AS v FROM viewed GROUP BY hour',
      query_params: { view: `${table}_mv`, table }
    });
  }
  const chosen = Object.entries(kinds).filter(([name]) => !process.env.KINDS || process.env.KINDS.split(',').includes(name));
  for (const [, call] of chosen) for (let i = CALLS; i < CALLS + 500; i++) await call(i);
  console.log(`${CALLS} calls of each kind; the engine after merges and cleanup, before and after:`);
  for (const [name, call] of chosen) {
    const partsBefore = await settle();
    const before = await engine();
    const t0 = Date.now();
    for (let i = 0; i < CALLS; i++) await call(i);
    const seconds = (Date.now() - t0) / 1000;
    const partsAfter = await settle();
    const after = await engine();
    const per = (a: number, b: number) => `${((b - a) / MB).toFixed(2)} MB (${Math.round((b - a) / CALLS)} B a call)`;
    console.log(
      `  ${name.padEnd(21)} ${seconds.toFixed(0)} s: tracked ${(before.tracked / MB).toFixed(1)} -> ${(after.tracked / MB).toFixed(1)} MB, ${per(before.tracked, after.tracked)}; ` +
        `jemalloc allocated ${per(before.allocated, after.allocated)}; parts ${partsBefore.active} -> ${partsAfter.active} active, ${partsAfter.outdated} outdated`
    );
  }
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
