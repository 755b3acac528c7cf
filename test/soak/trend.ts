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
/** The window whose medians a sawtooth series' line goes through (TrendOptions.windowMs): 5 minutes, or a sixth of a short run. */
export const WINDOW_MINUTES = positive('SOAK_WINDOW_MINUTES', Math.min(5, (SOAK_MINUTES - WARMUP_MINUTES) / 6));
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
  /** When the line goes through window medians: the window, and how many medians it went through. */
  windowMinutes?: number;
  windows?: number;
  growing: boolean;
}

export interface TrendOptions {
  /** What is left out at the start (WARMUP_MINUTES by default). */
  warmupMs?: number;
  /**
   * Fit the line through the median of each window of this length instead of through every
   * sample. For a series that swings in a sawtooth (RSS: allocations, merges, the allocators
   * giving pages back), neighbouring samples are not independent, and a line through all of them
   * reports a standard error several times too small and follows whichever swing the run
   * happens to end on. A window's median is what the series held through that window; windows a
   * few sawtooth periods long are close to independent of each other, which is what the
   * standard error assumes.
   */
  windowMs?: number;
}

/**
 * The least-squares line through the samples after the warm-up (or through their window
 * medians). A series grows when its slope is above the limit and at least three standard errors
 * above zero: a leak, not the scatter of a busy machine (a short run's few points give a wide
 * error, so the harness check stays honest about what it can see).
 */
export function trend(samples: Sample[], series: string, unit: string, limitPerHour: number, options: TrendOptions = {}): Trend {
  const warmupMs = options.warmupMs ?? WARMUP_MINUTES * 60_000;
  const points = samples.filter((s) => s.t >= warmupMs && Number.isFinite(s[series]));
  const n = points.length;
  if (n < 3) throw new Error(`${series}: only ${n} samples after the warm-up; run longer (SOAK_MINUTES)`);
  const values = points.map((p) => p[series]);
  const fitted = options.windowMs ? windowMedians(points, series, warmupMs, options.windowMs) : points.map((p) => ({ t: p.t, value: p[series] }));
  if (fitted.length < 3) throw new Error(`${series}: only ${fitted.length} windows after the warm-up; run longer (SOAK_MINUTES) or shorten the window`);
  const { slope, standardError } = line(
    fitted.map((p) => p.t / 3_600_000),
    fitted.map((p) => p.value)
  );
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
    ...(options.windowMs ? { windowMinutes: options.windowMs / 60_000, windows: fitted.length } : {}),
    growing: slope > limitPerHour && slope > 3 * standardError
  };
}

/** Each whole window's median time and value (a window of fewer than two samples is dropped). */
function windowMedians(points: Sample[], series: string, fromMs: number, windowMs: number): { t: number; value: number }[] {
  const windows = new Map<number, Sample[]>();
  for (const p of points) {
    const i = Math.floor((p.t - fromMs) / windowMs);
    windows.set(i, [...(windows.get(i) ?? []), p]);
  }
  return [...windows.values()].filter((w) => w.length >= 2).map((w) => ({ t: median(w.map((p) => p.t)), value: median(w.map((p) => p[series])) }));
}

function line(xs: number[], ys: number[]): { slope: number; standardError: number } {
  const n = xs.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  const slope = sxy / sxx;
  let residuals = 0;
  for (let i = 0; i < n; i++) residuals += (ys[i] - (my + slope * (xs[i] - mx))) ** 2;
  return { slope, standardError: Math.sqrt(residuals / (n - 2) / sxx) };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One line per series, the way test/RESULTS.md quotes them. */
export function describeTrend(t: Trend): string {
  const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  const through = t.windowMinutes ? `, through ${t.windows} medians of ${f(t.windowMinutes)} min` : '';
  return `${t.series}: ${f(t.start)} -> ${f(t.end)} ${t.unit} (peak ${f(t.peak)}), slope ${f(t.perHour)} ± ${f(t.standardError)} ${t.unit}/h (limit ${f(t.limitPerHour)}), ${t.samples} samples${through}${t.growing ? ' — GROWING' : ''}`;
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
