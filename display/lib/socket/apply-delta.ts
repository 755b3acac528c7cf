import type { ColumnarDelta, ColumnarSnapshot, Snapshot } from '$contract';
import { mergeAlarms } from '$lib/modes/alarms.ts';
import { PlantTable, type WallSnapshot } from './plant-table.ts';

/** The wall's snapshot from the columnar one: the plants' columns are taken as they came. */
export function fromColumnar(snapshot: ColumnarSnapshot): WallSnapshot {
  return { ...snapshot, plants: PlantTable.fromColumns(snapshot.plants) };
}

/**
 * The snapshot after a delta, as a new object. Untouched parts keep their identity so the map
 * and charts only recompute what changed; changed plants are written into the plant table in
 * place, and the new table handle names the rows that changed.
 */
export function applyDelta(snapshot: WallSnapshot, delta: ColumnarDelta): WallSnapshot {
  return {
    ...snapshot,
    as_of: delta.as_of,
    status: delta.status ?? snapshot.status,
    kpi: delta.kpi ?? snapshot.kpi,
    plants: delta.plants?.count ? snapshot.plants.apply(delta.plants) : snapshot.plants,
    series: delta.series ? { ...snapshot.series, ...definedOnly(delta.series) } : snapshot.series,
    alarms: delta.alarms?.length ? mergeAlarms(snapshot.alarms ?? [], delta.alarms) : snapshot.alarms
  };
}

// A key present with `undefined` (JSON never sends it, but a typed caller can) must not wipe a series.
function definedOnly(series: Partial<Snapshot['series']>): Partial<Snapshot['series']> {
  return Object.fromEntries(Object.entries(series).filter(([, v]) => v !== undefined));
}
