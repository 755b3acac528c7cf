import { describe, expect, it } from 'vitest';
import type { PlantPoint, Snapshot } from '$contract';
import { applyDelta } from '$lib/socket/apply-delta.ts';

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

const snapshot: Snapshot = {
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

describe('applyDelta', () => {
  it('moves as_of and replaces status and kpi when given', () => {
    const status = { ...snapshot.status, normal: 1, fault: 1 };
    const next = applyDelta(snapshot, { as_of: '2025-06-01T10:00:05Z', status });
    expect(next.as_of).toBe('2025-06-01T10:00:05Z');
    expect(next.status).toEqual(status);
    expect(next.kpi).toBe(snapshot.kpi);
  });

  it('merges changed plants by id, keeping order and the others untouched', () => {
    const next = applyDelta(snapshot, { as_of: snapshot.as_of, plants: [plant('b', 99)] });
    expect(next.plants.map((p) => [p.id, p.power_w])).toEqual([
      ['a', 10],
      ['b', 99]
    ]);
    expect(next.plants).not.toBe(snapshot.plants);
    expect(next.plants[0]).toBe(snapshot.plants[0]);
  });

  it('adds a plant it has not seen yet', () => {
    const next = applyDelta(snapshot, { as_of: snapshot.as_of, plants: [plant('c', 5)] });
    expect(next.plants.map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });

  it('replaces only the series keys the delta carries', () => {
    const today = [{ t: '2025-06-01T10:00:00Z', power_w: 500 }];
    const next = applyDelta(snapshot, { as_of: snapshot.as_of, series: { today } });
    expect(next.series.today).toBe(today);
    expect(next.series.days).toBe(snapshot.series.days);
    expect(next.series.years).toBe(snapshot.series.years);
  });

  it('never mutates the snapshot it was given', () => {
    const before = structuredClone(snapshot);
    applyDelta(snapshot, { as_of: 'x', plants: [plant('a', 1)], series: { days: [] } });
    expect(snapshot).toEqual(before);
  });
});
