// A batch's records as the telemetry table holds them: the columns ingest inserts, the extent
// that finds a batch's rows again, and the comparison of a checked record with its stored row.
import { NativeBlock } from '../db/native.ts';
import { orNull, type TelemetryBatch } from './batch.ts';

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

/** Record k of a batch against its stored row (single-precision columns compared as stored). */
export function sameRecord(b: TelemetryBatch, k: number, row: unknown[]): boolean {
  const pvFrom = b.pvStart(k);
  const pvTo = b.pvEnd[k];
  const pv = (column: Float64Array) => Array.from(column.subarray(pvFrom, pvTo), orNull);
  return (
    b.sn[k] === row[SN] && b.ts[k] === Number(row[TS]) && b.status[k] === row[STATUS] && b.power[k] === row[POWER] &&
    b.eToday[k] === row[E_TODAY] && orNull(b.eTotal[k]) === row[E_TOTAL] && b.faultCode[k] === row[FAULT] &&
    orNull(b.batteryPower[k]) === row[BATTERY_POWER] && orNull(b.gridPower[k]) === row[GRID] && orNull(b.loadPower[k]) === row[LOAD] &&
    f32(orNull(b.batterySoc[k])) === f32(row[SOC]) && f32(orNull(b.temperature[k])) === f32(row[TEMPERATURE]) &&
    sameF32(pv(b.pvV), row[PV_V]) && sameF32(pv(b.pvI), row[PV_I]) && sameF32(pv(b.pvP), row[PV_P])
  );
}

/** The telemetry table's columns for a batch, as one Native block: the batch's columns as they are. */
export function telemetryBlock(b: TelemetryBatch, batchId: string, receivedAt: number): NativeBlock {
  return new NativeBlock(b.length)
    .string('sn', b.sn)
    .string('plant_id', b.plantId)
    .dateTime64ms('ts', b.ts)
    .date('local_date', b.day)
    .string('status', b.status)
    .float64('power_w', b.power)
    .float64('e_today_kwh', b.eToday)
    .nullableFloat64('e_total_kwh', b.eTotal)
    .float64('e_delta_kwh', b.eDelta)
    .float64('p_delta_w', b.pDelta)
    .float32Arrays('pv_v', b.pvEnd, b.pvV)
    .float32Arrays('pv_i', b.pvEnd, b.pvI)
    .float32Arrays('pv_p', b.pvEnd, b.pvP, true)
    .nullableFloat32('battery_soc', b.batterySoc)
    .nullableFloat64('battery_power_w', b.batteryPower)
    .nullableFloat64('grid_power_w', b.gridPower)
    .nullableFloat64('load_power_w', b.loadPower)
    .nullableFloat32('temperature_c', b.temperature)
    .nullableString('fault_code', b.faultCode)
    .repeated('batch_id', batchId)
    .dateTime64ms('received_at', new Float64Array(b.length).fill(receivedAt));
}

/** Where a batch's rows sit in the telemetry sort key, to find them again. */
export function extent(b: TelemetryBatch): { plantIds: string[]; tsFrom: number; tsTo: number } {
  let tsFrom = Infinity;
  let tsTo = -Infinity;
  const plants = new Set<string>();
  for (let k = 0; k < b.length; k++) {
    plants.add(b.plantId[k]);
    if (b.ts[k] < tsFrom) tsFrom = b.ts[k];
    if (b.ts[k] > tsTo) tsTo = b.ts[k];
  }
  return { plantIds: [...plants], tsFrom, tsTo };
}
