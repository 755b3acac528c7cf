// One simulated device: its running state and the record it sends at each report instant.
// State advances at every report instant whether or not the record is sent (an offline device
// keeps producing; only its datalogger is silent), so counters jump back when it reconnects.
import type { Device, Plant, TelemetryRecord } from '../model.ts';
import { chargedKwh, chargingPowerW } from './charging.ts';
import { dispatchBattery, householdLoadW } from './household.ts';
import { incidentAt } from './incidents.ts';
import { siteOf, type LifetimeEstimator } from './lifetime.ts';
import { addDays, localDate, startOfLocalDate } from '../time/zones.ts';
import { hashString, unitHash } from './random.ts';
import { ambientTemperatureC, clearSkyFactor, pvPowerW, type PvSite } from './solar.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Hours of storage per kW of hybrid rating. */
const BATTERY_HOURS = 2;

export interface DeviceState {
  readonly device: Device;
  readonly plant: Plant;
  readonly site: PvSite;
  readonly key: number;
  /** Where in the cadence this device reports: a stable hash of its serial number. */
  readonly phaseMs: number;
  readonly strings: number;
  readonly stringVmp: number;
  nextReportMs: number;
  date: string;
  dayStartMs: number;
  dayEndMs: number;
  lastMs: number;
  lastPowerW: number;
  eTodayKwh: number;
  eTotalKwh: number;
  socPct: number;
}

/** A device's state at the local midnight that begins the plant-local day containing `atMs`. */
export function createDeviceState(device: Device, plant: Plant, seed: number, cadenceMs: number, atMs: number,
  lifetime: LifetimeEstimator): DeviceState {
  const key = hashString(device.sn);
  const date = localDate(atMs, plant.timezone);
  const dayStartMs = startOfLocalDate(date, plant.timezone);
  const phaseMs = key % cadenceMs;
  const strings = device.rated_power_w <= 5000 ? 1 : 2;
  return {
    device, plant, site: siteOf(plant), key, phaseMs, strings,
    stringVmp: 360 + Math.round(260 * unitHash(seed, key, 0, 41)),
    nextReportMs: firstReportAtOrAfter(dayStartMs, phaseMs, cadenceMs),
    date, dayStartMs, dayEndMs: startOfLocalDate(addDays(date, 1), plant.timezone),
    lastMs: dayStartMs, lastPowerW: 0, eTodayKwh: 0,
    eTotalKwh: lifetime.atStartOf(device, plant, date),
    socPct: 25 + 35 * unitHash(seed, key, Math.floor(dayStartMs / DAY_MS), 42),
  };
}

export function firstReportAtOrAfter(ms: number, phaseMs: number, cadenceMs: number): number {
  return phaseMs + Math.ceil((ms - phaseMs) / cadenceMs) * cadenceMs;
}

/**
 * Steps `state` through every report instant up to and including `untilMs`, appending the
 * records that are sent to `out` (pass null to fast-forward without sending).
 */
export function advanceDevice(state: DeviceState, untilMs: number, seed: number, cadenceMs: number,
  out: TelemetryRecord[] | null): void {
  while (state.nextReportMs <= untilMs) {
    const record = step(state, state.nextReportMs, seed);
    if (record && out) out.push(record);
    state.nextReportMs += cadenceMs;
  }
}

function step(s: DeviceState, t: number, seed: number): TelemetryRecord | null {
  if (t >= s.dayEndMs) rollDay(s, t);
  const from = Math.max(s.lastMs, s.dayStartMs);
  const hours = (t - from) / HOUR_MS;
  const dtMs = t - s.lastMs;
  const { device, plant, site } = s;
  const incident = incidentAt(seed, s.key, device.kind, t);
  const down = incident !== null && incident.kind !== 'offline';

  let record: TelemetryRecord;
  if (device.kind === 'charger') {
    const powerW = down ? 0 : chargingPowerW(seed, s.key, device.rated_power_w, plant.lon, t);
    const kwh = down ? 0 : chargedKwh(seed, s.key, device.rated_power_w, plant.lon, from, t);
    accumulate(s, kwh, powerW, t);
    record = base(s, t, 'normal', powerW, 12 + 10 * (powerW / device.rated_power_w));
  } else {
    const clearSky = clearSkyFactor(site.lat, site.lon, t);
    const pvW = down ? 0 : pvPowerW(seed, site, s.key, device.rated_power_w, t, clearSky);
    accumulate(s, ((s.lastPowerW + pvW) / 2) * hours / 1000, pvW, t);
    const dark = clearSky === 0;
    record = base(s, t, 'normal', pvW, 22 * (pvW / device.rated_power_w));
    record.pv = strings(s, pvW, dark);
    if (device.kind === 'storage') {
      const loadW = householdLoadW(device.rated_power_w * 0.3, (t - s.dayStartMs) / HOUR_MS,
        unitHash(seed, s.key, Math.floor(t / 300_000), 43));
      const battery = down
        ? { batteryW: 0, gridW: loadW, socPct: s.socPct }
        : dispatchBattery(pvW, loadW, s.socPct, device.rated_power_w * BATTERY_HOURS, device.rated_power_w * 0.5, dtMs);
      s.socPct = battery.socPct;
      // battery.power_w: + charging, − discharging; grid_power_w: + import, − export.
      record.battery = { soc: round(s.socPct, 1), power_w: battery.batteryW };
      record.grid_power_w = battery.gridW;
      record.load_power_w = loadW;
      if (pvW === 0 && battery.batteryW === 0) record.status = 'standby';
    } else if (pvW === 0) {
      record.status = 'standby';
    }
  }
  if (down) {
    record.status = incident.kind === 'fault' ? 'fault' : 'protect';
    if (incident.code) record.fault_code = incident.code;
  }
  return incident?.kind === 'offline' ? null : record;
}

function rollDay(s: DeviceState, t: number): void {
  const tz = s.plant.timezone;
  s.date = localDate(t, tz);
  s.dayStartMs = startOfLocalDate(s.date, tz);
  s.dayEndMs = startOfLocalDate(addDays(s.date, 1), tz);
  s.eTodayKwh = 0;
}

function accumulate(s: DeviceState, kwh: number, powerW: number, t: number): void {
  s.eTodayKwh += kwh;
  s.eTotalKwh += kwh;
  s.lastMs = t;
  s.lastPowerW = powerW;
}

function base(s: DeviceState, t: number, status: TelemetryRecord['status'], powerW: number, heatC: number): TelemetryRecord {
  return {
    sn: s.device.sn,
    ts: new Date(t).toISOString(),
    status,
    power_w: powerW,
    e_today_kwh: round(s.eTodayKwh, 2),
    e_total_kwh: round(s.eTotalKwh, 1),
    temperature_c: round(ambientTemperatureC(s.site.lat, s.site.lon, t) + heatC, 1),
  };
}

/** MPP strings: voltage sags a little at low light; open-circuit voltage when stopped in daylight. */
function strings(s: DeviceState, acW: number, dark: boolean): { v: number; i: number; p: number }[] {
  const dcW = acW / 0.975;
  return Array.from({ length: s.strings }, (_, n) => {
    if (dark) return { v: 0, i: 0, p: 0 };
    if (acW === 0) return { v: round(s.stringVmp * 1.2, 1), i: 0, p: 0 };
    const share = s.strings === 1 ? 1 : n === 0 ? 0.51 : 0.49;
    const fraction = acW / s.device.rated_power_w;
    const v = s.stringVmp * (0.9 + 0.1 * Math.sqrt(fraction));
    const p = dcW * share;
    return { v: round(v, 1), i: round(p / v, 2), p: Math.round(p) };
  });
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
