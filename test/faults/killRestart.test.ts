// kill -9 during sustained ingest, a few rounds (test/soak/killRounds.soak.test.ts runs many).
import { describe, expect, it } from 'vitest';
import { runKillRounds } from './killRounds.ts';

describe('kill -9 of the server during ingest', () => {
  it('loses no acknowledged batch, stores none twice, and keeps rollups equal to the raw table', { timeout: 300_000 }, async () => {
    const result = await runKillRounds({ rounds: 3 });
    for (const round of result.rounds) {
      expect(round.lost).toEqual([]);
      expect(round.doubled).toEqual([]);
      expect(round.rollupMismatches).toEqual([]);
    }
    // Each round really had batches answered and cut off mid-flight.
    expect(result.rounds.every((r, i) => r.acked > (i === 0 ? 0 : result.rounds[i - 1].acked))).toBe(true);
    expect(result.rounds.reduce((n, r) => n + r.unanswered, 0)).toBeGreaterThan(0);
    expect(result.final.unanswered).toBe(0);
    expect(result.final.lost).toEqual([]);
    expect(result.final.doubled).toEqual([]);
    expect(result.final.rollupMismatches).toEqual([]);
  });
});
