// kill -9 of the server at random moments during sustained ingest, 50 rounds. Results go to
// test/RESULTS.md (npm run test:soak).
import { describe, expect, it } from 'vitest';
import { runKillRounds } from '../faults/killRounds.ts';

const ROUNDS = Number(process.env.KILL_ROUNDS ?? 50);

describe('kill -9 soak', () => {
  it(`${ROUNDS} rounds: no acknowledged batch lost, none stored twice, rollups equal to the raw table`, async () => {
    const started = Date.now();
    const result = await runKillRounds({ rounds: ROUNDS, killAfterMs: [300, 4_000], onRound: (i, r) => console.log(`round ${i + 1}: ${JSON.stringify({ ...r, lost: r.lost.length, doubled: r.doubled.length })}`) });
    const cutOff = result.rounds.reduce((n, r, i) => n + r.unanswered - (i ? result.rounds[i - 1].unanswered : 0), 0);
    console.log(
      `kill -9 soak: ${ROUNDS} rounds in ${Math.round((Date.now() - started) / 1000)} s; ${result.batches} batches (${result.records} records), ` +
        `${result.rounds.at(-1)!.acked} answered 200 before a kill, ${cutOff} cut off in flight (${result.rounds.at(-1)!.storedUnanswered} of them stored whole anyway); ` +
        `after every restart: lost ${result.rounds.reduce((n, r) => n + r.lost.length, 0)}, stored twice ${result.rounds.reduce((n, r) => n + r.doubled.length, 0)}, ` +
        `rollup mismatches ${result.rounds.reduce((n, r) => n + r.rollupMismatches.length, 0)}; after the retries: ${result.final.acked} batches, lost ${result.final.lost.length}, ` +
        `twice ${result.final.doubled.length}, rollup mismatches ${result.final.rollupMismatches.length}`
    );
    for (const round of [...result.rounds, result.final]) {
      expect(round.lost).toEqual([]);
      expect(round.doubled).toEqual([]);
      expect(round.rollupMismatches).toEqual([]);
    }
  });
});
