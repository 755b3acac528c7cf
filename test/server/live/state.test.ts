// Live state's device columns: a device's largest e_today_kwh per recent local date (which ingest
// turns into energy deltas), month energies, and its latest figures.
import { describe, expect, it } from 'vitest';
import { LiveState } from '../../../server/live/state.ts';
import { TelemetryBatch, type AppliedFields as AppliedRecord } from '../../../server/ingest/batch.ts';
import { dayNumber } from '../../../server/live/deviceColumns.ts';
import { addDays } from '../../../server/time/zones.ts';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const TODAY = '2026-11-21';

function record(sn: string, localDate: string, eToday: number, extra: Partial<AppliedRecord> = {}): AppliedRecord {
  return {
    index: 0, sn, tsMs: Date.parse(`${localDate}T12:00:00Z`), status: 'normal', power_w: 100, e_today_kwh: eToday, e_total_kwh: null, pv: [],
    battery_soc: null, battery_power_w: null, grid_power_w: null, load_power_w: null, temperature_c: null, fault_code: null,
    plant_id: 'p', local_date: localDate, e_delta_kwh: eToday, p_delta_w: 0, ...extra
  };
}

describe('device columns', () => {
  it("keep each recent date's largest e_today_kwh, and say so when only the store knows a date", () => {
    const live = new LiveState({ offlineAfterMs: 900_000, now: NOW });
    const dates = [-3, -2, -1, 0, 1].map((d) => addDays(TODAY, d));
    live.apply(TelemetryBatch.of(dates.flatMap((date, i) => [record('A', date, 10 + i), record('A', date, 5)])), NOW);
    for (const [i, date] of dates.entries()) expect(live.knownDayMax(live.indexOf('A'), dayNumber(date))).toBe(10 + i);
    expect(live.knownDayMax(live.indexOf('A'), dayNumber(addDays(TODAY, -4)))).toBeUndefined();
    expect(live.knownDayMax(live.indexOf('B'), dayNumber(TODAY))).toBe(0);
    expect(live.knownDayMax(live.indexOf('A'), dayNumber(addDays(TODAY, 2)))).toBe(0);
    // Six days later the oldest date's place is taken: memory must not claim it had nothing.
    live.apply(TelemetryBatch.of([record('A', addDays(TODAY, 3), 7)]), NOW);
    expect(live.knownDayMax(live.indexOf('A'), dayNumber(addDays(TODAY, 3)))).toBe(7);
    expect(live.knownDayMax(live.indexOf('A'), dayNumber(addDays(TODAY, -3)))).toBeUndefined();
    expect(live.dayEnergy('A', TODAY)).toBe(13);
  });

  it("sum a device's month energies and keep its latest figures, nulls included", () => {
    const live = new LiveState({ offlineAfterMs: 900_000, now: NOW });
    live.apply(TelemetryBatch.of([record('A', '2026-10-31', 4), record('A', TODAY, 2, { battery_soc: 80, fault_code: 'E1', status: 'fault' }), record('A', TODAY, 1)]), NOW);
    expect(live.monthEnergy('A', '2026-11')).toBe(3);
    expect(live.monthEnergy('A', '2026-10')).toBe(4);
    expect(live.monthEnergy('A', '2026-09')).toBe(0);
    expect(live.device('A')).toMatchObject({ status: 'normal', fault_code: null, battery_soc: null, e_total: null, energy_sum: 7 });
    expect(live.device('nobody')).toBeUndefined();
    expect(live.alarms.latest(new Set(['p']), 10).map((a) => a.kind)).toEqual(['cleared', 'fault']);
  });
});
