// A site's own consumption and the battery dispatch of a hybrid inverter (self-consumption:
// store the PV surplus, cover the deficit, keep a 10 % reserve).

const bump = (h: number, centre: number, width: number): number => Math.exp(-(((h - centre) / width) ** 2));

/** Household-shaped load: a night base, a morning and a larger evening peak. `wiggle` in [0, 1). */
export function householdLoadW(peakW: number, localHour: number, wiggle: number): number {
  const shape = 0.22 + 0.35 * bump(localHour, 7.5, 1.2) + 0.2 * bump(localHour, 13, 2.5) + 0.8 * bump(localHour, 19.5, 2);
  return Math.round(peakW * shape * (0.9 + 0.2 * wiggle));
}

export interface BatteryDispatch {
  /** Battery power in W: positive while charging, negative while discharging. */
  batteryW: number;
  /** Grid power in W: positive importing, negative exporting. pv + grid = load + battery. */
  gridW: number;
  socPct: number;
}

const RESERVE_PCT = 10;

export function dispatchBattery(pvW: number, loadW: number, socPct: number, capacityWh: number, maxW: number, dtMs: number): BatteryDispatch {
  const hours = Math.max(dtMs, 60_000) / 3_600_000;
  const surplus = pvW - loadW;
  let batteryW: number;
  if (surplus >= 0) {
    const roomW = ((100 - socPct) / 100) * capacityWh / hours;
    batteryW = Math.min(surplus, maxW, Math.max(0, roomW));
  } else {
    const availableW = ((socPct - RESERVE_PCT) / 100) * capacityWh / hours;
    batteryW = -Math.min(-surplus, maxW, Math.max(0, availableW));
  }
  batteryW = Math.round(batteryW);
  const next = Math.min(100, Math.max(0, socPct + (batteryW * hours * 100) / capacityWh));
  return { batteryW, gridW: loadW + batteryW - pvW, socPct: next };
}
