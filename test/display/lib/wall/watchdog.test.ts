import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  LAST_RELOAD_KEY,
  RELOAD_MIN_GAP_MS,
  WATCHDOG_CHECK_MS,
  WATCHDOG_SILENCE_MS,
  mayReload,
  startWatchdog,
  watchdogCause,
  type WatchdogDeps
} from '$lib/wall/watchdog.ts';

const MIN = 60_000;

describe('watchdogCause', () => {
  const fine = { now: 10 * MIN, connected: true, lastMessageAt: 10 * MIN - 5_000, lastFrameAt: 10 * MIN - 1_000, visible: true, graceFrom: 0 };

  it('is happy while messages and frames keep coming', () => {
    expect(watchdogCause(fine)).toBeNull();
  });

  it('reloads a connected wall that has heard nothing for too long', () => {
    expect(watchdogCause({ ...fine, lastMessageAt: fine.now - WATCHDOG_SILENCE_MS - 1 })).toBe('silent');
  });

  it('leaves a disconnected wall to the socket, which reconnects by itself', () => {
    expect(watchdogCause({ ...fine, connected: false, lastMessageAt: 0 })).toBeNull();
  });

  it('reloads a visible page that stopped drawing, but not a hidden one', () => {
    expect(watchdogCause({ ...fine, lastFrameAt: 0 })).toBe('stalled');
    expect(watchdogCause({ ...fine, lastFrameAt: 0, visible: false })).toBeNull();
  });

  it('measures nothing from before the grace instant', () => {
    expect(watchdogCause({ ...fine, lastMessageAt: 0, lastFrameAt: 0, graceFrom: fine.now - MIN })).toBeNull();
  });
});

describe('mayReload', () => {
  it('never reloads twice within ten minutes', () => {
    const now = 100 * MIN;
    expect(mayReload(now, null)).toBe(true);
    expect(mayReload(now, String(now - 9 * MIN))).toBe(false);
    expect(mayReload(now, String(now - RELOAD_MIN_GAP_MS))).toBe(true);
    expect(mayReload(now, 'rubbish')).toBe(true);
    // The clock was set back: a "last reload" in the future must not block reloads for good.
    expect(mayReload(now, String(now + 60 * MIN))).toBe(true);
  });
});

describe('startWatchdog', () => {
  let storage: Map<string, string>;
  let frames: (() => void)[];
  let connected: boolean;
  let lastMessageAt: number;
  let reloads: string[];
  let stop: () => void;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2025, 5, 1));
    storage = new Map();
    frames = [];
    connected = true;
    lastMessageAt = Date.now();
    reloads = [];
  });
  afterEach(() => {
    stop?.();
    vi.useRealTimers();
  });

  const start = (overrides: Partial<WatchdogDeps> = {}) => {
    stop = startWatchdog({
      now: Date.now,
      connected: () => connected,
      lastMessageAt: () => lastMessageAt,
      visible: () => true,
      requestFrame: (draw) => frames.push(draw),
      cancelFrame: () => {},
      storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
      reload: (cause) => reloads.push(cause),
      ...overrides
    });
  };
  /** Advance time with the page drawing its frames and the server beating as told. */
  const run = (ms: number, opts: { beats: boolean }) => {
    for (let t = 0; t < ms; t += WATCHDOG_CHECK_MS) {
      vi.advanceTimersByTime(WATCHDOG_CHECK_MS);
      if (opts.beats) lastMessageAt = Date.now();
      frames.splice(0).forEach((draw) => draw());
    }
  };

  it('does nothing to a healthy wall, for hours', () => {
    start();
    run(6 * 60 * MIN, { beats: true });
    expect(reloads).toEqual([]);
  });

  it('reloads once the server has been silent for five minutes, and remembers when', () => {
    start();
    run(5 * MIN, { beats: false });
    expect(reloads).toEqual([]);
    run(WATCHDOG_CHECK_MS, { beats: false });
    expect(reloads).toEqual(['silent']);
    expect(Number(storage.get(LAST_RELOAD_KEY))).toBe(Date.now());
  });

  it('does not reload in a loop: the next reload waits for the ten-minute gap', () => {
    // The page just reloaded because of silence, and the server is still silent.
    storage.set(LAST_RELOAD_KEY, String(Date.now()));
    start();
    run(9 * MIN, { beats: false });
    expect(reloads).toEqual([]);
    run(MIN + WATCHDOG_CHECK_MS, { beats: false });
    expect(reloads).toEqual(['silent']);
  });

  it('reloads a page that stopped drawing frames', () => {
    start();
    // Frames are requested but never drawn.
    for (let i = 0; i < (6 * MIN) / WATCHDOG_CHECK_MS; i++) {
      vi.advanceTimersByTime(WATCHDOG_CHECK_MS);
      lastMessageAt = Date.now();
    }
    expect(reloads).toEqual(['stalled']);
  });

  it('gives a page waking from sleep a fresh start instead of a reload', () => {
    start();
    run(MIN, { beats: true });
    // The machine sleeps for an hour: no timers, no frames, no messages; then the first check.
    vi.setSystemTime(Date.now() + 60 * MIN);
    run(WATCHDOG_CHECK_MS, { beats: false });
    expect(reloads).toEqual([]);
  });

  it('works without storage', () => {
    start({ storage: { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } } });
    run(6 * MIN, { beats: false });
    expect(reloads).toEqual(['silent']);
  });

  it('stops its timer and frame on stop', () => {
    start();
    stop();
    run(30 * MIN, { beats: false });
    expect(reloads).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
