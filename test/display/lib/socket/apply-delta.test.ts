import { describe, expect, it } from 'vitest';
import type { PlantPoint, Snapshot } from '$contract';
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
});
