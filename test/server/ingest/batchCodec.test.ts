import { describe, expect, it } from 'vitest';
import { TelemetryBatch, type AppliedFields } from '../../../server/ingest/batch.ts';
import { decodeBatch, encodeBatch } from '../../../server/ingest/batchCodec.ts';

const base: AppliedFields = {
  index: 0,
  sn: 'INV-1',
  tsMs: Date.parse('2026-11-21T07:55:00Z'),
  status: 'normal',
  power_w: 1200,
  e_today_kwh: 3.5,
  e_total_kwh: null,
  pv: [],
  battery_soc: null,
  battery_power_w: null,
  grid_power_w: null,
  load_power_w: null,
  temperature_c: null,
  fault_code: null,
  plant_id: 'p-1',
  local_date: '2026-11-21',
  e_delta_kwh: 0.5,
  p_delta_w: 200
};

describe('a stored batch as bytes for the other instances', () => {
  it('comes back with every record, PV string and missing figure as it was, and no device numbers or power deltas', () => {
    const records: AppliedFields[] = [
      base,
      { ...base, index: 4, sn: 'BAT-電池', status: 'fault', fault_code: 'F07', battery_soc: 55, battery_power_w: -800, pv: [{ v: 600, i: 8.1, p: 4860 }, { v: 590, i: 8, p: null }] },
      { ...base, index: 7, sn: 'INV-2', e_total_kwh: 12000, grid_power_w: -300, load_power_w: 900, temperature_c: 41.5, local_date: '2026-11-20', pv: [{ v: 1, i: 2, p: 3 }] }
    ];
    const batch = TelemetryBatch.of(records, () => 9);
    const back = decodeBatch(encodeBatch(batch));
    expect(back.length).toBe(3);
    expect(back.records()).toEqual(records.map((r) => ({ ...r, p_delta_w: 0 })));
    expect([...back.device.subarray(0, 3)]).toEqual([-1, -1, -1]);
    expect([...back.day.subarray(0, 3)]).toEqual([...batch.day.subarray(0, 3)]);
  });

  it('takes less than half the bytes of the records as JSON objects', () => {
    const records = Array.from({ length: 1000 }, (_, k) => ({ ...base, index: k, sn: `INV-${k}`, pv: [{ v: 600, i: 8, p: 4800 }] }));
    const bytes = encodeBatch(TelemetryBatch.of(records)).length;
    expect(bytes).toBeLessThan(JSON.stringify(records).length / 2);
    expect(decodeBatch(encodeBatch(TelemetryBatch.of([]))).length).toBe(0);
  });
});
