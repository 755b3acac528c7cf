// The soaks' verdict on a series, on series shaped like the server's RSS: a sawtooth a few
// minutes long (allocations piling up, then handed back) with or without a drift under it.
import { describe, expect, it } from 'vitest';
import { trend, type Sample } from './trend.ts';

const HOUR = 3_600_000;
const options = { warmupMs: 10 * 60_000, windowMs: 5 * 60_000 };

/** An hour of 30-s samples: 540 MB, a ±30 MB sawtooth of `periodMin` minutes, `driftPerHour` under it. */
function rss(driftPerHour: number, periodMin = 7): Sample[] {
  return Array.from({ length: 120 }, (_, i) => {
    const t = i * 30_000;
    const phase = (t / 60_000 / periodMin) % 1;
    return { t, rssMB: 540 + 60 * (phase - 0.5) + driftPerHour * (t / HOUR) };
  });
}

describe('trend through window medians', () => {
  it('calls a sawtooth with nothing under it flat, whatever phase the run ends on', () => {
    for (const period of [3, 4.5, 6, 7, 9]) {
      const verdict = trend(rss(0, period), 'rssMB', 'MB', 10, options);
      expect(verdict.growing, `period ${period} min: ${verdict.perHour} ± ${verdict.standardError}`).toBe(false);
    }
  });

  // What the 5-minute window is for: a sawtooth that repeats a whole number of times in it leaves
  // each median at the sawtooth's middle, so the drift under it is all the line sees. Others
  // leave scatter in the medians, which the verdict shows as a wider standard error rather than
  // as a false alarm (the first test).
  it('sees 20 MB an hour under a ±30 MB sawtooth that repeats within the window', () => {
    for (const period of [1, 1.25, 2.5, 5]) {
      const verdict = trend(rss(20, period), 'rssMB', 'MB', 10, options);
      expect(verdict.growing, `period ${period} min: ${verdict.perHour} ± ${verdict.standardError}`).toBe(true);
      expect(verdict.perHour).toBeGreaterThan(10);
    }
  });

  // The engine's memory: its deduplication windows fill for their first 10,000 inserts, then
  // hold; only a warm-up that covers the fill tells that plateau from a leak.
  it('judges a series that fills and then holds only after its own warm-up', () => {
    const fills = (t: number) => 40 + 30 * Math.min(t / (2 * HOUR), 1);
    const samples: Sample[] = Array.from({ length: 480 }, (_, i) => ({ t: i * 30_000, engineMB: fills(i * 30_000) + (i % 10) * 0.5 }));
    expect(trend(samples, 'engineMB', 'MB', 5, options).growing).toBe(true);
    const judged = trend(samples, 'engineMB', 'MB', 5, { ...options, warmupMs: 2 * HOUR });
    expect(judged.growing).toBe(false);
    expect(Math.abs(judged.perHour)).toBeLessThan(1);
  });

  it('reports the medians it went through and the raw samples it summarised', () => {
    const verdict = trend(rss(0), 'rssMB', 'MB', 10, options);
    expect(verdict).toMatchObject({ samples: 100, windows: 10, windowMinutes: 5 });
    expect(verdict.peak).toBeGreaterThan(560);
  });
});
