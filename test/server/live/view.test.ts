import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../server/contract.ts';
import { diffSnapshots, mergeDeltas } from '../../../server/live/diff.ts';
import { TelemetryBatch } from '../../../server/ingest/batch.ts';
import { LiveState } from '../../../server/live/state.ts';
import { plantStatus } from '../../../server/live/view.ts';

describe('statuses', () => {
  it('gives a plant the worst status of its devices, offline only when all are', () => {
    expect(plantStatus(['normal', 'fault', 'protect'])).toBe('fault');
    expect(plantStatus(['normal', 'protect', 'offline'])).toBe('protect');
    expect(plantStatus(['offline', 'offline'])).toBe('offline');
    expect(plantStatus(['offline', 'standby'])).toBe('normal');
    expect(plantStatus([])).toBe('offline');
  });

  it('counts a device offline once its latest record is older than offline_after', () => {
    const live = new LiveState({ offlineAfterMs: 15 * 60_000, now: 0 });
    const ts = Date.parse('2026-11-21T08:00:00Z');
    const base = { index: 0, power_w: 1, e_today_kwh: 1, e_total_kwh: null, pv: [], battery_soc: null, battery_power_w: null, grid_power_w: null, load_power_w: null, temperature_c: null, fault_code: 'F1' };
    live.apply(TelemetryBatch.of([{ ...base, sn: 'A', tsMs: ts, status: 'fault', plant_id: 'p', local_date: '2026-11-21', e_delta_kwh: 1, p_delta_w: 1 }]), ts);
    expect(live.deviceStatus('A', ts + 14 * 60_000)).toBe('fault');
    expect(live.deviceStatus('A', ts + 16 * 60_000)).toBe('offline');
    expect(live.deviceStatus('never-reported', ts)).toBe('offline');
  });
});

describe('deltas', () => {
  const base: Snapshot = {
    as_of: '2026-11-21T08:00:00.000Z',
    tenant: { id: 't', name: 'T', title: 'T', logo_url: null, timezone: 'UTC', accent_color: null, theme: 'control-room', language: 'en' },
    status: { all: 2, normal: 2, standby: 0, protect: 0, fault: 0, offline: 0 },
    kpi: { power_w: 10, today_kwh: 1, month_kwh: 1, year_kwh: 1, total_kwh: 1, co2_avoided_kg: 0.475 },
    plants: [
      { id: 'a', name: 'A', lat: 0, lon: 0, status: 'normal', power_w: 5, today_kwh: 0.5, capacity_kw: 1 },
      { id: 'b', name: 'B', lat: 0, lon: 0, status: 'normal', power_w: 5, today_kwh: 0.5, capacity_kw: 1 }
    ],
    series: { today: [], days: [], months: [], years: [] }
  };

  it('carries only what changed, changed plants whole', () => {
    const after: Snapshot = structuredClone(base);
    after.as_of = '2026-11-21T08:00:01.000Z';
    after.plants[1].status = 'fault';
    after.status = { ...after.status, normal: 1, fault: 1 };
    expect(diffSnapshots(base, after)).toEqual({ as_of: after.as_of, status: after.status, plants: [after.plants[1]] });
  });

  it('asks for a whole snapshot when a plant leaves or the header changes', () => {
    const fewer: Snapshot = { ...structuredClone(base), plants: [base.plants[0]] };
    expect(diffSnapshots(base, fewer)).toBe('resync');
    const rebranded: Snapshot = { ...structuredClone(base), tenant: { ...base.tenant, title: 'New' } };
    expect(diffSnapshots(base, rebranded)).toBe('resync');
  });

  it('is nothing when nothing changed', () => {
    expect(diffSnapshots(base, { ...structuredClone(base), as_of: '2026-11-21T08:00:05.000Z' })).toBeNull();
  });

  it('held one after another, tell a screen what one delta over both would', () => {
    const first: Snapshot = structuredClone(base);
    first.as_of = '2026-11-21T08:00:00.400Z';
    first.plants[1].status = 'fault';
    first.status = { ...first.status, normal: 1, fault: 1 };
    const second: Snapshot = structuredClone(first);
    second.as_of = '2026-11-21T08:00:00.800Z';
    second.plants[0].power_w = 7;
    second.plants[1].power_w = 0;
    second.kpi = { ...second.kpi, power_w: 7 };
    const merged = mergeDeltas(diffSnapshots(base, first), diffSnapshots(first, second));
    const whole = diffSnapshots(base, second);
    if (!merged || merged === 'resync' || !whole || whole === 'resync') throw new Error('expected deltas');
    const byId = (d: typeof merged) => [...(d.plants ?? [])].sort((a, b) => a.id.localeCompare(b.id));
    expect({ ...merged, plants: byId(merged) }).toEqual({ ...whole, plants: byId(whole) });
    expect(mergeDeltas(null, whole)).toBe(whole);
    expect(mergeDeltas(whole, 'resync')).toBe('resync');
  });
});
