// SIGTERM under ingest with a few hundred screens connected, and the reconnect storm that follows
// (test/soak/storm.soak.test.ts runs it with 2,000 screens).
import { describe, expect, it } from 'vitest';
import { runRestartStorm, strayOutcomes } from './restartStorm.ts';

describe('a graceful restart under load', () => {
  it('finishes or refuses batches clearly, exits 0, and every screen comes back to current figures', { timeout: 300_000 }, async () => {
    const result = await runRestartStorm({ clients: 300 });
    console.log(JSON.stringify(result));
    expect(result.stopExit).toBe(0);
    expect(result.stopMs).toBeLessThan(15_000);
    // Batches around the stop were answered 200 or a 503, or met a closed connection unread.
    expect(strayOutcomes(result)).toEqual([]);
    expect(result.bare503).toBe(0);
    expect(result.acked).toBeGreaterThan(0);
    expect(result.lost).toBe(0);
    expect(result.restartingSeen).toBe(300);
    expect(result.resynced).toBe(300);
    expect(result.figuresMatch).toBe(true);
    // Jitter: the screens did not all come back in the same instant.
    expect(result.resyncMs.max - result.resyncMs.p50).toBeGreaterThan(200);
  });
});
