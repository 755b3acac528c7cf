// A batch's records as the telemetry table holds them: the columns ingest inserts, the extent
// that finds a batch's rows again, and the comparison of a checked record with its stored row.
import type { AppliedRecord } from '../live/state.ts';

export const TELEMETRY_COLUMNS = [
  'sn', 'plant_id', 'ts', 'local_date', 'status', 'power_w', 'e_today_kwh', 'e_total_kwh', 'e_delta_kwh', 'p_delta_w',
  'pv_v', 'pv_i', 'pv_p', 'battery_soc', 'battery_power_w', 'grid_power_w', 'load_power_w', 'temperature_c', 'fault_code',
  'batch_id', 'received_at'
] as const;

const f32 = (v: unknown) => (v === null ? null : Math.fround(v as number));
const sameF32 = (a: readonly (number | null)[], b: unknown) =>
  Array.isArray(b) && a.length === b.length && a.every((v, i) => f32(v) === f32(b[i] as number | null));
const at = (name: (typeof TELEMETRY_COLUMNS)[number]) => TELEMETRY_COLUMNS.indexOf(name);
const SN = at('sn'), TS = at('ts'), STATUS = at('status'), POWER = at('power_w'), E_TODAY = at('e_today_kwh'), E_TOTAL = at('e_total_kwh');
const FAULT = at('fault_code'), BATTERY_POWER = at('battery_power_w'), GRID = at('grid_power_w'), LOAD = at('load_power_w');
const SOC = at('battery_soc'), TEMPERATURE = at('temperature_c'), PV_V = at('pv_v'), PV_I = at('pv_i'), PV_P = at('pv_p');

/** Rows of TELEMETRY_COLUMNS (as batchTelemetryRows reads them) in (sn, ts) order. */
export function bySnAndTs(rows: unknown[][]): unknown[][] {
  return rows.sort((a, b) => (a[SN] === b[SN] ? Number(a[TS]) - Number(b[TS]) : (a[SN] as string) < (b[SN] as string) ? -1 : 1));
}

/** A checked record against its stored row (single-precision columns compared as stored). */
export function sameRecord(r: AppliedRecord, row: unknown[]): boolean {
  return (
    r.sn === row[SN] && r.tsMs === Number(row[TS]) && r.status === row[STATUS] && r.power_w === row[POWER] &&
    r.e_today_kwh === row[E_TODAY] && r.e_total_kwh === row[E_TOTAL] && r.fault_code === row[FAULT] &&
    r.battery_power_w === row[BATTERY_POWER] && r.grid_power_w === row[GRID] && r.load_power_w === row[LOAD] &&
    f32(r.battery_soc) === f32(row[SOC]) && f32(r.temperature_c) === f32(row[TEMPERATURE]) &&
    sameF32(r.pv.map((s) => s.v), row[PV_V]) && sameF32(r.pv.map((s) => s.i), row[PV_I]) && sameF32(r.pv.map((s) => s.p ?? null), row[PV_P])
  );
}

const NONE: never[] = [];

/**
 * The telemetry table's columns for these records; ts and received_at in milliseconds
 * (DateTime64(3) ticks). Numbers sit unboxed in their arrays: nothing is allocated per value.
 */
export function telemetryColumns(records: AppliedRecord[], batchId: string, receivedAt: number): Record<string, unknown[]> {
  const column = <T>(value: (r: AppliedRecord) => T) => records.map(value);
  const pv = <K extends 'v' | 'i' | 'p'>(key: K) => column((r) => (r.pv.length === 0 ? NONE : r.pv.map((s) => s[key])));
  return {
    sn: column((r) => r.sn),
    plant_id: column((r) => r.plant_id),
    ts: column((r) => r.tsMs),
    local_date: column((r) => r.local_date),
    status: column((r) => r.status),
    power_w: column((r) => r.power_w),
    e_today_kwh: column((r) => r.e_today_kwh),
    e_total_kwh: column((r) => r.e_total_kwh),
    e_delta_kwh: column((r) => r.e_delta_kwh),
    p_delta_w: column((r) => r.p_delta_w),
    pv_v: pv('v'),
    pv_i: pv('i'),
    pv_p: pv('p'),
    battery_soc: column((r) => r.battery_soc),
    battery_power_w: column((r) => r.battery_power_w),
    grid_power_w: column((r) => r.grid_power_w),
    load_power_w: column((r) => r.load_power_w),
    temperature_c: column((r) => r.temperature_c),
    fault_code: column((r) => r.fault_code),
    batch_id: new Array<string>(records.length).fill(batchId),
    received_at: new Array<number>(records.length).fill(receivedAt)
  };
}

/** Where a batch's rows sit in the telemetry sort key, to find them again. */
export function extent(records: AppliedRecord[]): { plantIds: string[]; tsFrom: number; tsTo: number } {
  let tsFrom = Infinity;
  let tsTo = -Infinity;
  const plants = new Set<string>();
  for (const r of records) {
    plants.add(r.plant_id);
    if (r.tsMs < tsFrom) tsFrom = r.tsMs;
    if (r.tsMs > tsTo) tsTo = r.tsMs;
  }
  return { plantIds: [...plants], tsFrom, tsTo };
}
