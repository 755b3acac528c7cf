// EV charging sessions: at most one per charger and three-hour slot, more likely in the day
// and evening than at night, drawn from the seed so the session at any instant is known
// without replaying the past.
import { unitHash } from './random.ts';

const SLOT_MS = 3 * 3_600_000;
const MINUTE_MS = 60_000;
const CAR_MAX_KW = [7.4, 11, 11, 22];

export interface ChargingSession {
  startMs: number;
  endMs: number;
  powerW: number;
}

/** The session of slot `slot`, if a car came; `lon` sets the local solar hour of the slot. */
export function sessionInSlot(seed: number, chargerKey: number, ratedPowerW: number, lon: number, slot: number): ChargingSession | null {
  const slotStart = slotPhaseMs(seed, chargerKey) + slot * SLOT_MS;
  const solarHour = ((((slotStart + SLOT_MS / 2) / 3_600_000 + lon / 15) % 24) + 24) % 24;
  const chance = solarHour >= 7 && solarHour < 22 ? 0.45 : 0.12;
  if (unitHash(seed, chargerKey, slot, 21) >= chance) return null;
  const durationMs = Math.round((30 + 150 * unitHash(seed, chargerKey, slot, 22)) * MINUTE_MS);
  const startMs = slotStart + Math.floor(unitHash(seed, chargerKey, slot, 23) * (SLOT_MS - durationMs));
  const carKw = CAR_MAX_KW[Math.floor(unitHash(seed, chargerKey, slot, 24) * CAR_MAX_KW.length)]!;
  const powerW = Math.round(Math.min(ratedPowerW, carKw * 1000) * (0.93 + 0.07 * unitHash(seed, chargerKey, slot, 25)));
  return { startMs, endMs: startMs + durationMs, powerW };
}

/** Each charger's slots start at its own phase, so sessions do not all end on the same hours. */
function slotPhaseMs(seed: number, chargerKey: number): number {
  return Math.floor(unitHash(seed, chargerKey, 0, 20) * SLOT_MS);
}

function slotAt(seed: number, chargerKey: number, ms: number): number {
  return Math.floor((ms - slotPhaseMs(seed, chargerKey)) / SLOT_MS);
}

/** Charging power at `ms` in watts (0 with no car). */
export function chargingPowerW(seed: number, chargerKey: number, ratedPowerW: number, lon: number, ms: number): number {
  const s = sessionInSlot(seed, chargerKey, ratedPowerW, lon, slotAt(seed, chargerKey, ms));
  return s && ms >= s.startMs && ms < s.endMs ? s.powerW : 0;
}

/** Energy delivered over [fromMs, toMs), in kWh, exactly from the sessions. */
export function chargedKwh(seed: number, chargerKey: number, ratedPowerW: number, lon: number, fromMs: number, toMs: number): number {
  let kwh = 0;
  const last = slotAt(seed, chargerKey, toMs);
  for (let slot = slotAt(seed, chargerKey, fromMs); slot <= last; slot++) {
    const s = sessionInSlot(seed, chargerKey, ratedPowerW, lon, slot);
    if (!s) continue;
    const overlap = Math.min(toMs, s.endMs) - Math.max(fromMs, s.startMs);
    if (overlap > 0) kwh += (s.powerW * overlap) / 3_600_000 / 1000;
  }
  return kwh;
}
