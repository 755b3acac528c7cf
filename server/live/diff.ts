// What changed between two snapshots of one room, in the snapshot's own shapes.
import type { AlarmEvent, Delta, Series, Snapshot } from '../contract.ts';
import { samePoints } from './series.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const alarmKey = (a: AlarmEvent) => `${a.at}|${a.sn}|${a.kind}`;

/**
 * A delta, null when nothing changed, or 'resync' when a delta cannot say it: the header changed
 * (new branding) or a plant left the room (deltas list changed plants, never removed ones).
 */
export function diffSnapshots(before: Snapshot, after: Snapshot): Delta | null | 'resync' {
  if (!same(before.tenant, after.tenant)) return 'resync';
  const remaining = new Set(after.plants.map((p) => p.id));
  if (before.plants.some((p) => !remaining.has(p.id))) return 'resync';
  const delta: Delta = { as_of: after.as_of };
  if (!same(before.status, after.status)) delta.status = after.status;
  if (!same(before.kpi, after.kpi)) delta.kpi = after.kpi;
  // Plant points come from a cache that keeps an unchanged plant's object: identity first, the
  // contents only for the few that are new objects.
  // Same plants in the same order (the usual case): compare position by position, no map.
  const aligned = before.plants.length === after.plants.length && after.plants.every((p, i) => before.plants[i].id === p.id);
  const previous = aligned ? null : new Map(before.plants.map((p) => [p.id, p]));
  const changed = after.plants.filter((p, i) => {
    const old = previous ? previous.get(p.id) : before.plants[i];
    return old !== p && JSON.stringify(old) !== JSON.stringify(p);
  });
  if (changed.length > 0) delta.plants = changed;
  const series: Partial<Series> = {};
  for (const key of ['today', 'days', 'months', 'years'] as const) {
    if (!samePoints(before.series[key], after.series[key])) Object.assign(series, { [key]: after.series[key] });
  }
  if (Object.keys(series).length > 0) delta.series = series;
  const known = new Set((before.alarms ?? []).map(alarmKey));
  const raised = (after.alarms ?? []).filter((a) => !known.has(alarmKey(a)));
  if (raised.length > 0) delta.alarms = raised;
  return Object.keys(delta).length > 1 ? delta : null;
}

/**
 * Two successive changes of one room as one, for members told of neither: the later figures win,
 * plants are merged by id, raised alarms are kept newest first.
 */
export function mergeDeltas(earlier: Delta | null | 'resync', later: Delta | null | 'resync'): Delta | null | 'resync' {
  if (earlier === 'resync' || later === 'resync') return 'resync';
  if (!earlier || !later) return earlier ?? later;
  const merged: Delta = { ...earlier, ...later };
  if (earlier.plants && later.plants) merged.plants = [...new Map([...earlier.plants, ...later.plants].map((p) => [p.id, p])).values()];
  if (earlier.series && later.series) merged.series = { ...earlier.series, ...later.series };
  if (earlier.alarms && later.alarms) merged.alarms = [...later.alarms, ...earlier.alarms];
  return merged;
}
