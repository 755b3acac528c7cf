// What a store holds after faults, checked the way a user would: each batch stored once, and the
// rollups the wall reads agreeing with the raw records.
import type { ClickHouseClient } from '@clickhouse/client';
import { expect } from 'vitest';
import { rows } from '../../server/db/store.ts';

/** Asserts that each batch's records are stored exactly once: `sent` maps batch_id to its record count. */
export async function storedOnceEach(store: ClickHouseClient, sent: ReadonlyMap<string, number>, ids: string[]): Promise<void> {
  const found = await rows<{ batch_id: string; n: number }>(store, 'SELECT batch_id, count() AS n FROM telemetry WHERE batch_id IN {ids:Array(String)} GROUP BY batch_id', { ids });
  expect(Object.fromEntries(found.map((r) => [r.batch_id, r.n]))).toEqual(Object.fromEntries(ids.map((id) => [id, sent.get(id)])));
}

/** Asserts that every plant's energy in the yearly rollup is what its raw records add up to. */
export async function rollupsMatchRaw(store: ClickHouseClient): Promise<void> {
  const fromRaw = await rows<{ plant_id: string; kwh: number }>(
    store,
    `SELECT plant_id, round(sum(day), 6) AS kwh FROM (SELECT plant_id, sn, local_date, max(e_today_kwh) AS day FROM telemetry GROUP BY plant_id, sn, local_date) GROUP BY plant_id ORDER BY plant_id`
  );
  const fromRollup = await rows<{ plant_id: string; kwh: number }>(store, 'SELECT plant_id, round(sum(kwh), 6) AS kwh FROM plant_yearly_energy GROUP BY plant_id ORDER BY plant_id');
  expect(fromRollup).toEqual(fromRaw);
}
