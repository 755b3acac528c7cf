import { describe, expect, it } from 'vitest';
import { clearSkyFactor, pvPowerW, siteEnergyPerKw, solarElevationDeg, weatherFactor } from '../../../server/demo/solar.ts';

const MUNICH = { lat: 48.1351, lon: 11.582, key: 11 };
const SYDNEY = { lat: -33.8688, lon: 151.2093, key: 22 };
const QUITO_LIKE = { lat: -0.2, lon: -78.5, key: 33 };
const HOUR = 3_600_000;

function clearSkyDayKwhPerKw(site: { lat: number; lon: number }, utcDay: number): number {
  let kwh = 0;
  for (let t = utcDay; t < utcDay + 24 * HOUR; t += 300_000) kwh += clearSkyFactor(site.lat, site.lon, t) / 12;
  return kwh;
}

describe('solar model', () => {
  it('gives no power at night', () => {
    const munichMidnight = Date.parse('2026-06-20T22:00:00Z'); // 00:00 CEST
    expect(solarElevationDeg(MUNICH.lat, MUNICH.lon, munichMidnight)).toBeLessThan(0);
    expect(clearSkyFactor(MUNICH.lat, MUNICH.lon, munichMidnight)).toBe(0);
    expect(pvPowerW(1, MUNICH, 5, 10_000, munichMidnight)).toBe(0);
    const sydneyNight = Date.parse('2026-12-21T14:00:00Z'); // 01:00 AEDT
    expect(pvPowerW(1, SYDNEY, 5, 10_000, sydneyNight)).toBe(0);
  });

  it('peaks near local solar noon', () => {
    for (const site of [MUNICH, SYDNEY, QUITO_LIKE]) {
      for (const day of ['2026-03-20', '2026-06-21', '2026-12-21']) {
        const start = Date.parse(`${day}T00:00:00Z`) - (site.lon / 360) * 24 * HOUR; // about local solar midnight
        let best = start;
        for (let t = start; t < start + 24 * HOUR; t += 60_000) {
          if (solarElevationDeg(site.lat, site.lon, t) > solarElevationDeg(site.lat, site.lon, best)) best = t;
        }
        const meanSolarNoon = start + 12 * HOUR;
        // The equation of time keeps true solar noon within about 16 minutes of mean solar noon.
        expect(Math.abs(best - meanSolarNoon)).toBeLessThan(20 * 60_000);
        expect(clearSkyFactor(site.lat, site.lon, best)).toBeGreaterThan(clearSkyFactor(site.lat, site.lon, best - 3 * HOUR));
      }
    }
  });

  it('makes a December day in the southern summer yield more than one in the northern winter', () => {
    const december = Date.parse('2026-12-21T00:00:00Z');
    const june = Date.parse('2026-06-21T00:00:00Z');
    const sydneyDec = clearSkyDayKwhPerKw(SYDNEY, december);
    const munichDec = clearSkyDayKwhPerKw(MUNICH, december);
    expect(sydneyDec).toBeGreaterThan(2 * munichDec);
    expect(clearSkyDayKwhPerKw(MUNICH, june)).toBeGreaterThan(2 * munichDec);
    expect(clearSkyDayKwhPerKw(SYDNEY, june)).toBeLessThan(sydneyDec);
    // Plausible clear-day yields, in kWh per kW.
    expect(sydneyDec).toBeGreaterThan(5);
    expect(sydneyDec).toBeLessThan(9);
    expect(munichDec).toBeGreaterThan(0.8);
  });

  it('keeps power between zero and the rating, and clouds smooth', () => {
    const start = Date.parse('2026-07-01T00:00:00Z');
    let previous = weatherFactor(7, MUNICH, start);
    for (let t = start; t < start + 10 * 24 * HOUR; t += 300_000) {
      const p = pvPowerW(7, MUNICH, 99, 50_000, t);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(50_000);
      const w = weatherFactor(7, MUNICH, t);
      expect(w).toBeGreaterThan(0);
      expect(w).toBeLessThanOrEqual(1);
      expect(Math.abs(w - previous)).toBeLessThan(0.1);
      previous = w;
    }
  });

  it('integrates coarse day energy close to the fine one', () => {
    const day = Date.parse('2026-05-10T22:00:00Z');
    const hourly = siteEnergyPerKw(3, MUNICH, day, day + 24 * HOUR);
    const fine = siteEnergyPerKw(3, MUNICH, day, day + 24 * HOUR, 300_000);
    expect(Math.abs(hourly - fine) / fine).toBeLessThan(0.05);
  });
});
