// The wall's one-second clock, which also knows when the page could not tick: a main thread busy
// for seconds (a huge snapshot, a slow software-rendered frame) hears nothing meanwhile, and the
// messages that arrived are read only after it. Silence in that stretch is the page's, not the
// link's, so the connection banner does not flash up for it.

/** A tick this much later than due means the page was busy, not waiting. */
const LATE_MS = 1_000;

export class Ticker {
  readonly #intervalMs: number;
  /** Epoch ms of the last tick. */
  now = $state(Date.now());
  /** Epoch ms of the end of the last stretch the page was too busy to tick (0: none). Read with `now`. */
  deafUntil = 0;

  constructor(intervalMs = 1_000) {
    this.#intervalMs = intervalMs;
  }

  /** Starts ticking; returns the stop (an effect's teardown). */
  start(): () => void {
    const timer = setInterval(() => {
      const at = Date.now();
      if (at - this.now > this.#intervalMs + LATE_MS) this.deafUntil = at;
      this.now = at;
    }, this.#intervalMs);
    return () => clearInterval(timer);
  }
}
