// The sun and the sky for the demo: pure functions of place, instant and seed. Seasons,
// latitude and day length are not modelled separately; they fall out of the geometry.
import { unitHash } from './random.ts';

const RAD = Math.PI / 180;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const J2000_DAYS = 10_957; // 2000-01-01 in days since the Unix epoch
const YEAR_DAYS = 365.2422;

/** Where a PV array is: `key` is a stable hash of the plant id (it selects the plant's weather). */
export interface PvSite {
  lat: number;
  lon: number;
  key: number;
}

interface SunVector {
  east: number;
  north: number;
  up: number;
}

interface SunHour {
  sinDecl: number;
  cosDecl: number;
  eqTimeMin: number;
}

// Declination and the equation of time move by well under a minute of arc per hour, so they
// are computed once per UTC hour and shared by every site: history evaluates millions of
// instants, and these twelve trigonometric calls were most of the cost.
const sunHours = new Map<number, SunHour>();

function sunHour(hourIndex: number): SunHour {
  let h = sunHours.get(hourIndex);
  if (!h) {
    const days = ((hourIndex + 0.5) * HOUR_MS) / DAY_MS;
    const gamma = (2 * Math.PI * (days - J2000_DAYS)) / YEAR_DAYS;
    const eqTimeMin = 229.18 * (0.000075 + 0.001868 * Math.cos(gamma) - 0.032077 * Math.sin(gamma)
      - 0.014615 * Math.cos(2 * gamma) - 0.040849 * Math.sin(2 * gamma));
    const decl = 0.006918 - 0.399912 * Math.cos(gamma) + 0.070257 * Math.sin(gamma)
      - 0.006758 * Math.cos(2 * gamma) + 0.000907 * Math.sin(2 * gamma)
      - 0.002697 * Math.cos(3 * gamma) + 0.00148 * Math.sin(3 * gamma);
    if (sunHours.size >= 4096) sunHours.clear();
    h = { sinDecl: Math.sin(decl), cosDecl: Math.cos(decl), eqTimeMin };
    sunHours.set(hourIndex, h);
  }
  return h;
}

/** Unit vector towards the sun in local east-north-up axes (NOAA general solar position). */
function sunVector(lat: number, lon: number, ms: number): SunVector {
  const { sinDecl, cosDecl, eqTimeMin } = sunHour(Math.floor(ms / HOUR_MS));
  const utcMin = (((ms % DAY_MS) + DAY_MS) % DAY_MS) / 60_000;
  const trueSolarMin = utcMin + eqTimeMin + 4 * lon;
  const hourAngle = (trueSolarMin / 4 - 180) * RAD;
  const phi = lat * RAD;
  const sinPhi = Math.sin(phi);
  const cosPhi = Math.cos(phi);
  const cosHa = Math.cos(hourAngle);
  return {
    east: -cosDecl * Math.sin(hourAngle),
    north: cosPhi * sinDecl - sinPhi * cosDecl * cosHa,
    up: sinPhi * sinDecl + cosPhi * cosDecl * cosHa,
  };
}

/** Solar elevation above the horizon in degrees (negative at night). */
export function solarElevationDeg(lat: number, lon: number, ms: number): number {
  return Math.asin(Math.max(-1, Math.min(1, sunVector(lat, lon, ms).up))) / RAD;
}

/**
 * Clear-sky output of an equator-facing array tilted by the usual rule of thumb for its
 * latitude, as a fraction of its rating (0 at night, about 0.9 at a high summer noon).
 */
export function clearSkyFactor(lat: number, lon: number, ms: number): number {
  const sun = sunVector(lat, lon, ms);
  if (sun.up <= 0.01) return 0; // below ~0.6°: inverters have not woken up yet
  const elevationDeg = Math.asin(sun.up) / RAD;
  // Kasten–Young air mass, Meinel direct beam (kW/m²), diffuse as a tenth of the beam.
  const airMass = 1 / (sun.up + 0.50572 * (elevationDeg + 6.07995) ** -1.6364);
  const beam = 1.353 * 0.7 ** (airMass ** 0.678);
  const diffuse = 0.1 * beam;
  const tilt = Math.min(35, Math.max(10, Math.abs(lat) * 0.76 + 3.1)) * RAD;
  const normalNorth = lat >= 0 ? -Math.sin(tilt) : Math.sin(tilt);
  const cosIncidence = Math.max(0, sun.north * normalNorth + sun.up * Math.cos(tilt));
  const global = beam * sun.up + diffuse;
  const planeOfArray = beam * cosIncidence + diffuse * (1 + Math.cos(tilt)) / 2 + 0.2 * global * (1 - Math.cos(tilt)) / 2;
  // 0.9: temperature, soiling and wiring losses against the 1 kW/m² rating conditions.
  return Math.min(1, planeOfArray * 0.9);
}

/** How clear the sky is over a site on one solar day: a regime drawn from the seed. */
function dayClearness(seed: number, siteKey: number, day: number): { mean: number; swing: number } {
  const u = unitHash(seed, siteKey, day, 1);
  const v = unitHash(seed, siteKey, day, 2);
  if (u < 0.5) return { mean: 0.9 + 0.1 * v, swing: 0.08 }; // clear
  if (u < 0.8) return { mean: 0.55 + 0.3 * v, swing: 0.5 }; // broken cloud
  return { mean: 0.15 + 0.3 * v, swing: 0.15 }; // overcast
}

const KNOT_MS = 2 * HOUR_MS;

function knot(seed: number, site: PvSite, k: number): number {
  // The solar day flips near local solar midnight, when nobody sees the change.
  const day = Math.floor((k * KNOT_MS) / DAY_MS + site.lon / 360);
  const { mean, swing } = dayClearness(seed, site.key, day);
  return Math.min(1, Math.max(0.05, mean + swing * (unitHash(seed, site.key, k, 3) - 0.5)));
}

/** Fraction of clear-sky output the clouds let through: smooth in time, per site and day. */
export function weatherFactor(seed: number, site: PvSite, ms: number): number {
  const x = ms / KNOT_MS;
  const k = Math.floor(x);
  const s = (1 - Math.cos(Math.PI * (x - k))) / 2;
  return knot(seed, site, k) * (1 - s) + knot(seed, site, k + 1) * s;
}

/** Output of a site's array per kW of rating, before per-device noise (0–1). */
export function siteOutputFactor(seed: number, site: PvSite, ms: number): number {
  const clear = clearSkyFactor(site.lat, site.lon, ms);
  return clear === 0 ? 0 : clear * weatherFactor(seed, site, ms);
}

/** AC power of one PV device at `ms`, in watts: rating × clear sky × weather × ±2 % noise. */
export function pvPowerW(seed: number, site: PvSite, deviceKey: number, ratedPowerW: number, ms: number,
  clearSky = clearSkyFactor(site.lat, site.lon, ms)): number {
  if (clearSky === 0) return 0;
  const factor = clearSky * weatherFactor(seed, site, ms);
  const noise = 1 + 0.04 * (unitHash(seed, deviceKey, Math.floor(ms / 60_000), 4) - 0.5);
  return Math.round(ratedPowerW * Math.min(1, factor * noise));
}

/**
 * Energy per kW of rating over [startMs, endMs), in kWh, integrated at the midpoints of
 * `stepMs` slices: coarse, for history, where hourly is close enough.
 */
export function siteEnergyPerKw(seed: number, site: PvSite, startMs: number, endMs: number, stepMs = HOUR_MS): number {
  let kwh = 0;
  for (let t = startMs; t < endMs; t += stepMs) {
    const slice = Math.min(stepMs, endMs - t);
    kwh += siteOutputFactor(seed, site, t + slice / 2) * (slice / HOUR_MS);
  }
  return kwh;
}

/** A plausible air temperature in °C: colder poleward, seasonal by hemisphere, warmest mid-afternoon. */
export function ambientTemperatureC(lat: number, lon: number, ms: number): number {
  const days = ms / DAY_MS - J2000_DAYS;
  const annualMean = 30 - 0.42 * Math.abs(lat);
  const amplitude = Math.min(14, 0.3 * Math.abs(lat));
  const coldestDay = lat >= 0 ? 15 : 197; // mid-January north, mid-July south
  const seasonal = -amplitude * Math.cos((2 * Math.PI * (days - coldestDay)) / YEAR_DAYS);
  const solarHour = ((((ms % DAY_MS) / HOUR_MS + lon / 15) % 24) + 24) % 24;
  const diurnal = 5 * Math.cos((2 * Math.PI * (solarHour - 15)) / 24);
  return annualMean + seasonal + diurnal;
}
