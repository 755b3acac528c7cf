// Checks one telemetry record against the contract. Pure: the caller supplies the clock and the
// device look-up. Each failure names the field and says why, so a datalogger's owner can fix it.
import { STATUSES, type ReportedStatus } from '../contract.ts';
import type { Rejection } from '../model.ts';
import { parseCommonIso } from '../time/iso.ts';
import type { TelemetryBatch } from './batch.ts';

export const MAX_FUTURE_MS = 10 * 60_000;
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

class Invalid extends Error {
  constructor(
    readonly field: string,
    readonly reason: string
  ) {
    super(reason);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Invalid(field, 'must be a finite number');
  if (value < min) throw new Invalid(field, min === 0 ? 'must not be negative' : `must be at least ${min}`);
  if (value > max) throw new Invalid(field, `must be at most ${max}`);
  return value;
}

/** A missing optional figure is NaN in a batch's columns. */
function optionalNum(value: unknown, field: string, min: number, max: number): number {
  return value === undefined || value === null ? Number.NaN : num(value, field, min, max);
}

export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1000) : null;
  if (typeof value !== 'string') return null;
  const common = parseCommonIso(value);
  if (common !== null) return common;
  if (!ISO_WITH_OFFSET.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

const POWER = 1e10;
const ENERGY = 1e10;

/**
 * Checks one record and, when it is valid, adds it to `batch` (the caller then places it: device,
 * plant, date). Returns why it is not valid, naming the field, or null.
 */
export function checkInto(batch: TelemetryBatch, raw: unknown, index: number, now: number, knownDevice: (sn: string) => boolean): Rejection | null {
  try {
    if (!isObject(raw)) throw new Invalid('', 'must be an object');
    if (typeof raw.sn !== 'string' || raw.sn.length === 0 || raw.sn.length > 128) throw new Invalid('sn', 'must be a serial number string');
    if (!knownDevice(raw.sn)) throw new Invalid('sn', `unknown device "${raw.sn}"`);
    if (raw.ts === undefined) throw new Invalid('ts', 'is required');
    const tsMs = parseTimestamp(raw.ts);
    if (tsMs === null) throw new Invalid('ts', 'must be ISO 8601 with a UTC offset, or epoch seconds');
    if (tsMs < EARLIEST_MS) throw new Invalid('ts', 'is before 2000-01-01');
    if (tsMs > now + MAX_FUTURE_MS) throw new Invalid('ts', 'is more than 10 minutes in the future');
    const status = raw.status as ReportedStatus;
    if (!STATUSES.includes(status)) throw new Invalid('status', `must be one of ${STATUSES.join(', ')}`);
    const power_w = num(raw.power_w, 'power_w', -POWER, POWER);
    const e_today_kwh = num(raw.e_today_kwh, 'e_today_kwh', 0, ENERGY);
    const e_total_kwh = optionalNum(raw.e_total_kwh, 'e_total_kwh', 0, ENERGY);
    const pv = raw.pv;
    if (pv !== undefined && pv !== null) {
      if (!Array.isArray(pv) || pv.length > 64) throw new Invalid('pv', 'must be an array of at most 64 strings');
      for (let i = 0; i < pv.length; i++) {
        const s: unknown = pv[i];
        if (!isObject(s)) throw new Invalid(`pv[${i}]`, 'must be an object { v, i, p? }');
        batch.addPv(num(s.v, `pv[${i}].v`, -1e5, 1e5), num(s.i, `pv[${i}].i`, -1e5, 1e5), optionalNum(s.p, `pv[${i}].p`, -POWER, POWER));
      }
    }
    let battery_soc = Number.NaN;
    let battery_power_w = Number.NaN;
    const battery = raw.battery;
    if (battery !== undefined && battery !== null) {
      if (!isObject(battery)) throw new Invalid('battery', 'must be an object { soc, power_w }');
      battery_soc = num(battery.soc, 'battery.soc', 0, 100);
      battery_power_w = num(battery.power_w, 'battery.power_w', -POWER, POWER);
    }
    let fault_code: string | null = null;
    if (raw.fault_code !== undefined && raw.fault_code !== null) {
      if (typeof raw.fault_code !== 'string' || raw.fault_code.length > 128) throw new Invalid('fault_code', 'must be a string of at most 128 characters');
      fault_code = raw.fault_code;
    }
    const grid_power_w = optionalNum(raw.grid_power_w, 'grid_power_w', -POWER, POWER);
    const load_power_w = optionalNum(raw.load_power_w, 'load_power_w', -POWER, POWER);
    const temperature_c = optionalNum(raw.temperature_c, 'temperature_c', -100, 200);
    batch.add(index, raw.sn, tsMs, status, power_w, e_today_kwh, e_total_kwh, battery_soc, battery_power_w, grid_power_w, load_power_w, temperature_c, fault_code);
    return null;
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    batch.dropPv();
    return { index, field: error.field, reason: error.reason };
  }
}
