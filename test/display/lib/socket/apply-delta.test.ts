import { describe, expect, it } from 'vitest';
import { PLANT_STATUSES, type PlantPoint, type Snapshot } from '$contract';
import { applyDelta } from '$lib/socket/apply-delta.ts';
import { PlantTable, type WallSnapshot } from '$lib/socket/plant-table.ts';
import { encodePlants } from '../../../../server/live/columnar.ts';

const plant = (id: string, power_w: number): PlantPoint => ({
  id,
  name: id,
  lat: 0,
  lon: 0,
  status: 'normal',
  power_w,
  today_kwh: 0,
  capacity_kw: 10
});

const json: Snapshot = {
  as_of: '2025-06-01T10:00:00Z',
  tenant: { id: 't', name: 'T', title: 'T', logo_url: null, timezone: 'UTC', accent_color: null, theme: 'control-room', language: 'en' },
  status: { all: 2, normal: 2, standby: 0, protect: 0, fault: 0, offline: 0 },
  kpi: { power_w: 100, today_kwh: 1, month_kwh: 2, year_kwh: 3, total_kwh: 4, co2_avoided_kg: 1.9 },
  plants: [plant('a', 10), plant('b', 20)],
  series: {
    today: [{ t: '2025-06-01T00:00:00Z', power_w: 0 }],
    days: [{ date: '2025-06-01', kwh: 1 }],
    months: [{ month: '2025-06', kwh: 2 }],
    years: [{ year: 2025, kwh: 3 }]
  }
};

const wall = (): WallSnapshot => ({ ...json, plants: PlantTable.fromPoints(json.plants) });
const rows = (table: PlantTable) => Array.from({ length: table.length }, (_, i) => table.at(i));

describe('applyDelta', () => {
  it('moves as_of and replaces status and kpi when given', () => {
    const snapshot = wall();
    const status = { ...snapshot.status, normal: 1, fault: 1 };
    const next = applyDelta(snapshot, { as_of: '2025-06-01T10:00:05Z', status });
    expect(next.as_of).toBe('2025-06-01T10:00:05Z');
    expect(next.status).toEqual(status);
    expect(next.kpi).toBe(snapshot.kpi);
    expect(next.plants).toBe(snapshot.plants);
  });

  it('writes changed plants into their rows in place and names the rows', () => {
    const snapshot = wall();
    const lat = snapshot.plants.lat;
    const next = applyDelta(snapshot, { as_of: snapshot.as_of, plants: encodePlants([{ ...plant('b', 99), status: 'fault', name: 'B renamed' }]) });
    expect(rows(next.plants).map((p) => [p.id, p.name, p.status, p.power_w])).toEqual([
      ['a', 'a', 'normal', 10],
      ['b', 'B renamed', 'fault', 99]
    ]);
    expect(next.plants).not.toBe(snapshot.plants);
    expect(next.plants.lat).toBe(lat);
    expect(next.plants.changes?.previous).toBe(snapshot.plants);
    expect([...next.plants.changes!.rows]).toEqual([1]);
  });

  it('starts a new table for a plant it has not seen yet or one that moved', () => {
    const added = applyDelta(wall(), { as_of: json.as_of, plants: encodePlants([plant('c', 5)]) });
    expect(rows(added.plants).map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(added.plants.changes).toBeNull();
    const moved = applyDelta(wall(), { as_of: json.as_of, plants: encodePlants([{ ...plant('a', 10), lat: 12 }]) });
    expect(rows(moved.plants).map((p) => [p.id, p.lat])).toEqual([
      ['a', 12],
      ['b', 0]
    ]);
    expect(moved.plants.changes).toBeNull();
  });

  it('replaces only the series keys the delta carries', () => {
    const snapshot = wall();
    const today = [{ t: '2025-06-01T10:00:00Z', power_w: 500 }];
    const next = applyDelta(snapshot, { as_of: snapshot.as_of, series: { today } });
    expect(next.series.today).toBe(today);
    expect(next.series.days).toBe(snapshot.series.days);
    expect(next.series.years).toBe(snapshot.series.years);
  });

  it('takes a plant it does not know yet at the end, with its counts, and finds it in the next delta', () => {
    const added = applyDelta(wall(), { as_of: json.as_of, plants: encodePlants([{ ...plant('new', 5), status: 'fault', capacity_kw: 7 }]) });
    expect(added.plants.rowOf('new')).toBe(2);
    expect(added.plants.totals.byStatus[codeOf('normal')]).toBe(2);
    expect(added.plants.totals.byStatus[codeOf('fault')]).toBe(1);
    expect(added.plants.totals.capacityKw).toBe(27);
    const next = applyDelta(added, { as_of: json.as_of, plants: encodePlants([{ ...plant('new', 6), capacity_kw: 7 }]) });
    expect(next.plants.changes?.previous).toBe(added.plants);
    expect(next.plants.at(2)).toMatchObject({ id: 'new', status: 'normal', power_w: 6 });
    expect(next.plants.totals.byStatus[codeOf('fault')]).toBe(0);
  });

  it('after many deltas in a row holds what a fresh snapshot of the same plants holds', () => {
    const statuses = ['normal', 'fault', 'protect', 'offline'] as const;
    let fleet: PlantPoint[] = Array.from({ length: 2_000 }, (_, i) => ({ ...plant(`p-${i}`, i), lat: i / 100, capacity_kw: (i % 13) * 1.5 }));
    let snapshot: WallSnapshot = { ...json, plants: PlantTable.fromColumns(encodePlants(fleet)) };
    const original = snapshot.plants.lat;
    let seed = 7;
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    for (let round = 0; round < 50; round++) {
      const changed = new Map<number, PlantPoint>();
      for (let k = 0; k < 40; k++) {
        const i = random(fleet.length);
        changed.set(i, { ...fleet[i], status: statuses[random(4)], power_w: random(5000), capacity_kw: random(3) ? fleet[i].capacity_kw : random(100), name: random(10) ? fleet[i].name : `renamed ${round}` });
      }
      fleet = fleet.map((p, i) => changed.get(i) ?? p);
      snapshot = applyDelta(snapshot, { as_of: json.as_of, plants: encodePlants([...changed.values()]) });
      expect(snapshot.plants.changes, `round ${round} patched in place`).not.toBeNull();
    }
    const fresh = PlantTable.fromColumns(encodePlants(fleet));
    expect(snapshot.plants.lat).toBe(original);
    expect(rows(snapshot.plants)).toEqual(rows(fresh));
    expect(snapshot.plants.totals.byStatus).toEqual(fresh.totals.byStatus);
    expect(snapshot.plants.totals.capacityKw).toBeCloseTo(fresh.totals.capacityKw, 6);
    for (const i of [0, 999, 1999]) expect(snapshot.plants.rowOf(`p-${i}`)).toBe(i);
  });
});

const codeOf = (status: PlantPoint['status']) => PLANT_STATUSES.indexOf(status);
