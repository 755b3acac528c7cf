// What it would cost to make every acknowledged batch survive a power cut too, not only a crash
// of the process: the telemetry insert (raw table and its rollups) with the engine asked to fsync
// each part and its directory (the MergeTree settings fsync_after_insert and fsync_part_directory
// on the raw table and every rollup table), against the insert as ingest does it now, batch for
// batch alternately on the same store in the same run.
// A kill -9 loses nothing without them (the written parts are in the OS page cache; see
// test/faults/killRestart.test.ts); only an OS crash or power loss could.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../server/db/migrate.ts';
import { createStore, rows as select } from '../server/db/store.ts';
import { fmt } from './lib.ts';

const BATCHES = 60;
const ROWS = 500;
const dataDir = mkdtempSync(join(tmpdir(), 'fleetwall-durability-'));
const store = createStore({ dataDir, clickhouse: null });
await migrate(store, () => {});
const columns = ['sn', 'plant_id', 'ts', 'local_date', 'status', 'power_w', 'e_today_kwh', 'e_total_kwh', 'e_delta_kwh', 'p_delta_w', 'batch_id', 'received_at'] as const;
const t0 = Date.now() - 86_400_000;
let n = 0;
function rows(): unknown[][] {
  return Array.from({ length: ROWS }, (_, i) => {
    n++;
    return [`SN${i % 100}`, `P${i % 10}`, t0 + n * 10, new Date(t0).toISOString().slice(0, 10), 'normal', 1000, n * 0.001, null, 0.001, 0, 'b', Date.now()];
  });
}
const tables = (await select<{ name: string }>(store, "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree'")).map((t) => t.name);
async function setFsync(on: boolean): Promise<void> {
  for (const table of tables) await store.command({ query: `ALTER TABLE ${table} MODIFY SETTING fsync_after_insert = ${on ? 1 : 0}, fsync_part_directory = ${on ? 1 : 0}` });
}
async function insert(fsync: boolean): Promise<number> {
  await setFsync(fsync);
  const values = rows();
  const start = performance.now();
  await store.insert({
    table: 'telemetry',
    values,
    columns: columns as unknown as [string, ...string[]],
    format: 'JSONCompactEachRow',
    clickhouse_settings: {
      insert_deduplicate: 1,
      insert_deduplication_token: randomUUID(),
      deduplicate_blocks_in_dependent_materialized_views: 1
    }
  });
  return performance.now() - start;
}
const plain: number[] = [];
const synced: number[] = [];
for (let i = 0; i < 5; i++) await insert(i % 2 === 0);
for (let i = 0; i < BATCHES; i++) {
  plain.push(await insert(false));
  synced.push(await insert(true));
}
await store.close();
rmSync(dataDir, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`durability: telemetry insert of ${ROWS} rows with its rollups (${tables.length} MergeTree tables), ${BATCHES} batches each way, alternating`);
console.log(`  as ingest does it: median ${fmt(median(plain), 1)} ms; with fsync_after_insert + fsync_part_directory: ${fmt(median(synced), 1)} ms (ratio ${fmt(median(synced) / median(plain), 2)})`);
