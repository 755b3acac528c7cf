import { describe, expect, it } from 'vitest';
import { TelemetryBatch } from '../../../server/ingest/batch.ts';
import { checkInto, parseTimestamp } from '../../../server/ingest/validate.ts';

const NOW = Date.parse('2026-11-21T08:00:00Z');
const known = (sn: string) => sn === 'INV-1';
const valid = { sn: 'INV-1', ts: '2026-11-21T07:55:00Z', status: 'normal', power_w: 1200, e_today_kwh: 3.5 };
const field = (raw: unknown) => checkInto(new TelemetryBatch(), raw, 0, NOW, known)?.field ?? null;

describe('telemetry record checks', () => {
  it('accepts a minimal record and one with every optional part', () => {
    expect(field(valid)).toBeNull();
    const full = {
      ...valid,
      e_total_kwh: 12000,
      pv: [{ v: 600, i: 8.1, p: 4860 }, { v: 590, i: 8 }],
      battery: { soc: 55, power_w: -800 },
      grid_power_w: -300,
      load_power_w: 900,
      temperature_c: 41.5,
      fault_code: 'F07'
    };
    const batch = new TelemetryBatch();
    expect(checkInto(batch, full, 3, NOW, known)).toBeNull();
    expect(batch.record(0)).toMatchObject({ index: 3, battery_soc: 55, pv: [{ v: 600, i: 8.1, p: 4860 }, { v: 590, i: 8, p: null }] });
  });

  it('keeps nothing of an invalid record, not even the PV strings read before the bad field', () => {
    const batch = new TelemetryBatch();
    expect(checkInto(batch, { ...valid, pv: [{ v: 600, i: 8 }] }, 0, NOW, known)).toBeNull();
    expect(checkInto(batch, { ...valid, pv: [{ v: 1, i: 1 }, { v: 2, i: 2 }], battery: { soc: 120, power_w: 0 } }, 1, NOW, known)?.field).toBe('battery.soc');
    expect(checkInto(batch, { ...valid, pv: [{ v: 590, i: 7 }] }, 2, NOW, known)).toBeNull();
    expect(batch.length).toBe(2);
    expect(batch.records().map((r) => r.pv)).toEqual([[{ v: 600, i: 8, p: null }], [{ v: 590, i: 7, p: null }]]);
  });

  it('names the field that is wrong', () => {
    expect(field({ ...valid, sn: 'OTHER' })).toBe('sn');
    expect(field({ ...valid, ts: 'soon' })).toBe('ts');
    expect(field({ ...valid, ts: '2026-11-21T07:55:00' })).toBe('ts'); // no offset: ambiguous
    expect(field({ ...valid, ts: '2026-11-21T08:11:00Z' })).toBe('ts'); // 11 minutes ahead
    expect(field({ ...valid, status: 'ok' })).toBe('status');
    expect(field({ ...valid, power_w: Number.NaN })).toBe('power_w');
    expect(field({ ...valid, power_w: '1200' })).toBe('power_w');
    expect(field({ ...valid, e_today_kwh: -1 })).toBe('e_today_kwh');
    expect(field({ ...valid, e_total_kwh: -5 })).toBe('e_total_kwh');
    expect(field({ ...valid, pv: [{ v: 1 }] })).toBe('pv[0].i');
    expect(field({ ...valid, battery: { soc: 120, power_w: 0 } })).toBe('battery.soc');
    expect(field({ ...valid, fault_code: 7 })).toBe('fault_code');
    expect(field('not a record')).toBe('');
    expect(field(null)).toBe('');
  });

  it('reads ISO 8601 with any offset and epoch seconds as the same instant', () => {
    const instant = Date.parse('2026-11-21T07:55:00Z');
    expect(parseTimestamp('2026-11-21T07:55:00Z')).toBe(instant);
    expect(parseTimestamp('2026-11-21T20:55:00+13:00')).toBe(instant);
    expect(parseTimestamp('2026-11-20T21:55:00-10:00')).toBe(instant);
    expect(parseTimestamp(instant / 1000)).toBe(instant);
    expect(parseTimestamp(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('allows records up to ten minutes ahead (device clocks drift)', () => {
    expect(field({ ...valid, ts: '2026-11-21T08:09:00Z' })).toBeNull();
  });
});
