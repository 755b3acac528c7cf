// A synthetic wall snapshot (server/contract.ts's Snapshot) for N plants, without a database.
// Plants gather around places where distributors' fleets really are (Germany, eastern China,
// California, ...), spread by a normal distribution, so the map has dense and sparse parts like
// a real fleet. Deterministic: the same N gives the same snapshot in every run.
import type { PlantPoint, PlantStatus, Snapshot } from '../server/contract.ts';

// [lon, lat, weight]: centres of the fleet and their share of plants.
const PLACES: [number, number, number][] = [
  [8.7, 50.1, 10], // Rhine-Main (the close view of bench/browser.ts)
  [11.5, 48.2, 8],
  [13.4, 52.5, 5],
  [2.35, 48.9, 4],
  [-3.7, 40.4, 5],
  [12.5, 41.9, 4],
  [4.9, 52.4, 4],
  [19.9, 50.1, 3],
  [121.5, 31.2, 10],
  [116.4, 39.9, 8],
  [113.3, 23.1, 7],
  [104.1, 30.7, 4],
  [139.7, 35.7, 5],
  [126.98, 37.57, 3],
  [77.2, 28.6, 5],
  [72.9, 19.1, 4],
  [-118.2, 34.1, 6],
  [-97.7, 30.3, 4],
  [-74.0, 40.7, 4],
  [-80.2, 25.8, 3],
  [-46.6, -23.5, 4],
  [-70.7, -33.4, 2],
  [-99.1, 19.4, 3],
  [151.2, -33.9, 4],
  [115.9, -31.95, 2],
  [28.0, -26.2, 3],
  [31.2, 30.0, 2],
  [28.98, 41.0, 3],
  [106.7, 10.8, 3],
  [100.5, 13.75, 2]
];
const WEIGHT = PLACES.reduce((sum, p) => sum + p[2], 0);

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export function syntheticPlants(n: number): PlantPoint[] {
  const random = mulberry32(42);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const plants: PlantPoint[] = [];
  for (let i = 0; i < n; i++) {
    let pick = random() * WEIGHT;
    let place = PLACES[0];
    for (const p of PLACES) if ((pick -= p[2]) < 0) {
      place = p;
      break;
    }
    const r = random();
    // Mostly normal, ~1% fault, a few tripped or silent: what a healthy fleet looks like.
    const status: PlantStatus = r < 0.01 ? 'fault' : r < 0.015 ? 'protect' : r < 0.045 ? 'offline' : 'normal';
    const capacity = round(5 + 500 * random() ** 3, 1);
    const power = status === 'normal' ? Math.round(capacity * 1000 * random() * 0.8) : 0;
    plants.push({
      id: `PLT-${String(i).padStart(7, '0')}`,
      name: `Plant ${i}`,
      // Six decimals (~0.1 m): what a registry that stores coordinates as entered sends.
      lat: round(Math.max(-58, Math.min(75, place[1] + gauss() * 1.6)), 6),
      lon: round(((place[0] + gauss() * 2.2 + 540) % 360) - 180, 6),
      status,
      power_w: power,
      today_kwh: round(capacity * random() * 5, 1),
      capacity_kw: capacity
    });
  }
  return plants;
}

export function syntheticSnapshot(n: number): Snapshot {
  const plants = syntheticPlants(n);
  const count = (s: PlantStatus) => plants.filter((p) => p.status === s).length;
  const devices = n * 3;
  const day = '2026-06-01';
  return {
    as_of: `${day}T10:00:00.000Z`,
    tenant: { id: 'd', name: 'Bench Distribution', title: 'Bench Distribution', logo_url: null, timezone: 'UTC', accent_color: null, theme: 'control-room', language: 'en' },
    status: { all: devices, normal: 3 * count('normal'), standby: 0, protect: 3 * count('protect'), fault: 3 * count('fault'), offline: 3 * count('offline') },
    kpi: {
      power_w: plants.reduce((sum, p) => sum + p.power_w, 0),
      today_kwh: plants.reduce((sum, p) => sum + p.today_kwh, 0),
      month_kwh: n * 900,
      year_kwh: n * 5000,
      total_kwh: n * 40000,
      co2_avoided_kg: n * 40000 * 0.475
    },
    plants,
    series: {
      today: Array.from({ length: 121 }, (_, i) => ({ t: new Date(Date.parse(`${day}T00:00:00Z`) + i * 300_000).toISOString(), power_w: Math.round(n * 200 * Math.max(0, Math.sin((i / 288) * 2 * Math.PI - Math.PI / 2 + Math.PI / 2))) })),
      days: Array.from({ length: 30 }, (_, i) => ({ date: new Date(Date.parse(`${day}T00:00:00Z`) - (29 - i) * 86_400_000).toISOString().slice(0, 10), kwh: n * (20 + (i % 7)) })),
      months: Array.from({ length: 12 }, (_, i) => ({ month: `2026-${String(i + 1).padStart(2, '0')}`, kwh: i < 6 ? n * 700 : 0 })),
      years: Array.from({ length: 5 }, (_, i) => ({ year: 2022 + i, kwh: n * 8000 }))
    },
    alarms: []
  };
}
