import type { Delta, Snapshot } from '$contract';
import { mergeAlarms } from '$lib/modes/alarms.ts';

/**
 * The snapshot after a delta, as a new object. Untouched parts keep their identity so the map
 * and charts only recompute what changed; changed parts are new arrays (deck.gl compares data
 * by reference).
 */
export function applyDelta(snapshot: Snapshot, delta: Delta): Snapshot {
  return {
    ...snapshot,
    as_of: delta.as_of,
    status: delta.status ?? snapshot.status,
    kpi: delta.kpi ?? snapshot.kpi,
    plants: delta.plants?.length ? mergePlants(snapshot.plants, delta.plants) : snapshot.plants,
    series: delta.series ? { ...snapshot.series, ...definedOnly(delta.series) } : snapshot.series,
    alarms: delta.alarms?.length ? mergeAlarms(snapshot.alarms ?? [], delta.alarms) : snapshot.alarms
  };
}

function mergePlants(current: Snapshot['plants'], changed: Snapshot['plants']): Snapshot['plants'] {
  const byId = new Map(changed.map((p) => [p.id, p]));
  const merged = current.map((p) => byId.get(p.id) ?? p);
  const known = new Set(current.map((p) => p.id));
  // A plant registered after the snapshot arrives as a "changed" plant we have not seen yet.
  for (const p of changed) if (!known.has(p.id)) merged.push(p);
  return merged;
}

// A key present with `undefined` (JSON never sends it, but a typed caller can) must not wipe a series.
function definedOnly(series: Partial<Snapshot['series']>): Partial<Snapshot['series']> {
  return Object.fromEntries(Object.entries(series).filter(([, v]) => v !== undefined));
}
