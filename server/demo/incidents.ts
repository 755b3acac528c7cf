// Faults, protection trips and communication losses, drawn per device and six-hour slot from
// the seed. Rates are tuned for a wall of ~400 devices: at any moment a few devices are at
// fault, a few in protection and a few offline, and which ones keeps changing.
import type { DeviceKind } from '../model.ts';
import { unitHash } from './random.ts';

const SLOT_MS = 6 * 3_600_000;
const MINUTE_MS = 60_000;

/** Chance that a device has an incident of each kind in a given six-hour slot. */
const P_FAULT = 0.05;
const P_PROTECT = 0.04;
const P_OFFLINE = 0.08;

export type IncidentKind = 'fault' | 'protect' | 'offline';

export interface Incident {
  kind: IncidentKind;
  /** The device's code for fault and protect; none for offline (the device is silent). */
  code?: string;
  startMs: number;
  endMs: number;
}

const FAULT_CODES: Record<DeviceKind, string[]> = {
  inverter: ['F07 grid overvoltage', 'F12 insulation resistance low', 'F23 DC arc detected', 'F31 fan failure',
    'F35 over-temperature', 'F42 residual current too high'],
  storage: ['F07 grid overvoltage', 'B02 battery over-temperature', 'B05 BMS communication lost', 'B11 cell voltage imbalance'],
  charger: ['E04 RCD tripped', 'E11 vehicle communication timeout', 'E15 output overcurrent', 'E21 contactor welded'],
};

const PROTECT_CODES = ['P01 grid frequency out of range', 'P03 grid undervoltage', 'P05 anti-islanding trip',
  'P08 DC overcurrent limit'];

/** The incident `deviceKey` is in at `ms`, if any. */
export function incidentAt(seed: number, deviceKey: number, kind: DeviceKind, ms: number): Incident | null {
  // Each device's slots start at its own phase: with common boundaries the whole fleet would
  // be healthy at the same instants four times a day.
  const phaseMs = Math.floor(unitHash(seed, deviceKey, 0, 10) * SLOT_MS);
  const slot = Math.floor((ms - phaseMs) / SLOT_MS);
  const u = unitHash(seed, deviceKey, slot, 11);
  let incident: IncidentKind;
  let minMin: number;
  let maxMin: number;
  if (u < P_FAULT) [incident, minMin, maxMin] = ['fault', 15, 90];
  else if (u < P_FAULT + P_PROTECT) [incident, minMin, maxMin] = ['protect', 15, 90];
  else if (u < P_FAULT + P_PROTECT + P_OFFLINE) [incident, minMin, maxMin] = ['offline', 20, 60];
  else return null;
  const durationMs = (minMin + (maxMin - minMin) * unitHash(seed, deviceKey, slot, 12)) * MINUTE_MS;
  // The incident fits inside its slot, so only one slot needs looking at.
  const startMs = phaseMs + slot * SLOT_MS + Math.floor(unitHash(seed, deviceKey, slot, 13) * (SLOT_MS - durationMs));
  const endMs = startMs + durationMs;
  if (ms < startMs || ms >= endMs) return null;
  const which = unitHash(seed, deviceKey, slot, 14);
  const codes = incident === 'fault' ? FAULT_CODES[kind] : PROTECT_CODES;
  return incident === 'offline'
    ? { kind: incident, startMs, endMs }
    : { kind: incident, code: codes[Math.floor(which * codes.length)]!, startMs, endMs };
}
