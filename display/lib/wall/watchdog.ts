// The last line of defence of a wall nobody watches: if it hears nothing from a connection the
// browser believes is up, or the page stops drawing, reload. Reloads are remembered in the tab's
// sessionStorage, so a wall that is broken for good reloads every ten minutes, not in a loop.

/** Silence (no snapshot, delta or heartbeat on a connected socket) after which the wall reloads. */
export const WATCHDOG_SILENCE_MS = 5 * 60_000;
/** The page not drawing a frame for this long while visible counts as a stalled main loop. */
export const WATCHDOG_STALL_MS = 5 * 60_000;
/** Never two watchdog reloads closer than this. */
export const RELOAD_MIN_GAP_MS = 10 * 60_000;
export const WATCHDOG_CHECK_MS = 15_000;
export const LAST_RELOAD_KEY = 'fleetwall.watchdog.last-reload';

export type WatchdogCause = 'silent' | 'stalled';

export interface WatchdogReading {
  now: number;
  /** The socket's transport is up. */
  connected: boolean;
  /** Epoch ms of the last message from the server (or of connecting). */
  lastMessageAt: number;
  /** Epoch ms the page last drew a frame for the watchdog. */
  lastFrameAt: number;
  /** A hidden page draws no frames, and that is no stall. */
  visible: boolean;
  /** Measure nothing from before this instant (the page just started or woke from sleep). */
  graceFrom: number;
}

export interface WatchdogLimits {
  silenceMs: number;
  stallMs: number;
}

export const DEFAULT_LIMITS: WatchdogLimits = { silenceMs: WATCHDOG_SILENCE_MS, stallMs: WATCHDOG_STALL_MS };

/** Why the wall should reload now, or null if it is fine. */
export function watchdogCause(r: WatchdogReading, limits: WatchdogLimits = DEFAULT_LIMITS): WatchdogCause | null {
  if (r.connected && r.now - Math.max(r.lastMessageAt, r.graceFrom) > limits.silenceMs) return 'silent';
  if (r.visible && r.now - Math.max(r.lastFrameAt, r.graceFrom) > limits.stallMs) return 'stalled';
  return null;
}

/** Whether a reload now keeps to the minimum gap after the last one (`lastReloadAt` from storage). */
export function mayReload(now: number, lastReloadAt: string | null, minGapMs = RELOAD_MIN_GAP_MS): boolean {
  const last = lastReloadAt === null ? NaN : Number(lastReloadAt);
  // A stored time in the future (the clock was set back) must not block reloads for good.
  return !Number.isFinite(last) || now - last >= minGapMs || last > now;
}

export interface WatchdogDeps {
  now: () => number;
  connected: () => boolean;
  lastMessageAt: () => number;
  visible: () => boolean;
  /** requestAnimationFrame, or a stand-in in tests. */
  requestFrame: (draw: () => void) => number;
  cancelFrame: (handle: number) => void;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  reload: (cause: WatchdogCause) => void;
  limits?: WatchdogLimits;
  checkMs?: number;
}

/** Starts checking every `checkMs`; returns the stop function (clears the timer and any frame). */
export function startWatchdog(deps: WatchdogDeps): () => void {
  const checkMs = deps.checkMs ?? WATCHDOG_CHECK_MS;
  const started = deps.now();
  let lastCheck = started;
  let graceFrom = started;
  let lastFrameAt = started;
  let frame: number | null = null;
  // Also kept here: without storage, or should a reload not happen, the gap still holds.
  let reloadedAt: string | null = null;

  const check = () => {
    const now = deps.now();
    // A check far later than scheduled means the whole page (or machine) slept: a TV box
    // suspended overnight. Start measuring afresh instead of reloading on waking.
    if (now - lastCheck > 3 * checkMs) graceFrom = now;
    lastCheck = now;
    // Hidden pages draw nothing; the stall clock starts again when the wall is seen.
    if (!deps.visible()) lastFrameAt = now;

    const cause = watchdogCause(
      { now, connected: deps.connected(), lastMessageAt: deps.lastMessageAt(), lastFrameAt, visible: deps.visible(), graceFrom },
      deps.limits
    );
    if (cause && mayReload(now, read(deps.storage) ?? reloadedAt)) {
      reloadedAt = String(now);
      write(deps.storage, reloadedAt);
      deps.reload(cause);
      return;
    }
    // One frame per check, not a loop: enough to see that the page still draws, at no cost.
    if (frame === null) {
      frame = deps.requestFrame(() => {
        frame = null;
        lastFrameAt = deps.now();
      });
    }
  };

  const timer = setInterval(check, checkMs);
  check();
  return () => {
    clearInterval(timer);
    if (frame !== null) deps.cancelFrame(frame);
    frame = null;
  };
}

// Storage can throw (a locked-down kiosk profile); the watchdog must work without it.
function read(storage: WatchdogDeps['storage']): string | null {
  try {
    return storage?.getItem(LAST_RELOAD_KEY) ?? null;
  } catch {
    return null;
  }
}

function write(storage: WatchdogDeps['storage'], value: string): void {
  try {
    storage?.setItem(LAST_RELOAD_KEY, value);
  } catch {
    // Nothing to do: without storage a reload forgets the last one, and the silence and stall
    // limits (five minutes) space reloads out instead.
  }
}
