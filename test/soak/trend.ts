// What the soaks share: their durations, the series they sample, and the question they answer:
// after the warm-up, does anything keep growing?
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How long each soak runs: SOAK_MINUTES (60 by default; 3 checks the harness). */
export const SOAK_MINUTES = positive('SOAK_MINUTES', 60);
/** What is left out of the trend: caches filling, code warming up. A sixth of the run, at most 10 minutes. */
export const WARMUP_MINUTES = positive('SOAK_WARMUP_MINUTES', Math.min(10, SOAK_MINUTES / 6));
/** Sampling period: 30 s, or shorter on short runs so the trend has a dozen points or more. */
export const SAMPLE_SECONDS = positive('SOAK_SAMPLE_SECONDS', Math.min(30, ((SOAK_MINUTES - WARMUP_MINUTES) * 60) / 12));
/** Generous room for a soak's test: its duration plus setup and teardown. */
export const SOAK_TIMEOUT_MS = (SOAK_MINUTES + 20) * 60_000;

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of minutes or seconds, not "${raw}"`);
  return value;
}

export interface Sample {
  /** Milliseconds since the soak started. */
  t: number;
  [series: string]: number;
}

export interface Trend {
  series: string;
  unit: string;
  /** Over the samples after the warm-up: first, last, highest. */
  start: number;
  end: number;
  peak: number;
  /** Least-squares slope, per hour, and its standard error. */
  perHour: number;
  standardError: number;
  /** The slope that counts as growth. */
  limitPerHour: number;
  samples: number;
  growing: boolean;
}

/**
 * The least-squares line through the samples after the warm-up. A series grows when its slope is
 * above the limit and at least three standard errors above zero: a leak, not the scatter of a
 * busy machine (a short run's few points give a wide error, so the harness check stays honest
 * about what it can see).
 */
export function trend(samples: Sample[], series: string, unit: string, limitPerHour: number, warmupMs = WARMUP_MINUTES * 60_000): Trend {
  const points = samples.filter((s) => s.t >= warmupMs && Number.isFinite(s[series]));
  const n = points.length;
  if (n < 3) throw new Error(`${series}: only ${n} samples after the warm-up; run longer (SOAK_MINUTES)`);
  const hours = points.map((p) => p.t / 3_600_000);
  const values = points.map((p) => p[series]);
  const mt = mean(hours);
  const mv = mean(values);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (hours[i] - mt) ** 2;
    sxy += (hours[i] - mt) * (values[i] - mv);
  }
  const slope = sxy / sxx;
  let residuals = 0;
  for (let i = 0; i < n; i++) residuals += (values[i] - (mv + slope * (hours[i] - mt))) ** 2;
  const standardError = Math.sqrt(residuals / (n - 2) / sxx);
  return {
    series,
    unit,
    start: values[0],
    end: values[n - 1],
    peak: Math.max(...values),
    perHour: slope,
    standardError,
    limitPerHour,
    samples: n,
    growing: slope > limitPerHour && slope > 3 * standardError
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One line per series, the way test/RESULTS.md quotes them. */
export function describeTrend(t: Trend): string {
  const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  return `${t.series}: ${f(t.start)} -> ${f(t.end)} ${t.unit} (peak ${f(t.peak)}), slope ${f(t.perHour)} ± ${f(t.standardError)} ${t.unit}/h (limit ${f(t.limitPerHour)}), ${t.samples} samples${t.growing ? ' — GROWING' : ''}`;
}

/** Keeps the samples and the verdicts beside the screenshots, for RESULTS.md and a second look. */
export function saveSoak(name: string, samples: Sample[], trends: Trend[], extra: Record<string, unknown> = {}): string {
  const dir = join(process.cwd(), 'test-results', 'soak');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const run = { minutes: SOAK_MINUTES, warmupMinutes: WARMUP_MINUTES, sampleSeconds: SAMPLE_SECONDS, finishedAt: new Date().toISOString() };
  writeFileSync(file, JSON.stringify({ run, ...extra, trends, samples }, null, 1));
  return file;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
