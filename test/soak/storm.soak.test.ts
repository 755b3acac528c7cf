// Reconnect storm: 2,000 screens (socket.io-client with the display's reconnection settings, in
// a child process), the server stopped with SIGTERM under ingest and started again. Results go
// to test/RESULTS.md (npm run test:soak).
import { describe, expect, it } from 'vitest';
import { runRestartStorm, strayOutcomes } from '../faults/restartStorm.ts';

const CLIENTS = Number(process.env.STORM_CLIENTS ?? 2_000);

describe('reconnect storm soak', () => {
  it(`${CLIENTS} screens come back to current figures after a restart, without a crash`, async () => {
    const result = await runRestartStorm({ clients: CLIENTS, readyTimeoutMs: 600_000 });
    console.log(
      `reconnect storm: ${result.clients} screens; stop (SIGTERM) exit ${result.stopExit} in ${result.stopMs} ms; told ${result.restartingSeen}; ` +
        `resynced ${result.resynced} to current figures (${result.figuresMatch ? 'all match' : 'MISMATCH'}); new process listening after ${result.listenMs} ms; screens resynced after the restart began: p50 ${result.resyncMs.p50} ms, ` +
        `p90 ${result.resyncMs.p90} ms, max ${result.resyncMs.max} ms; batches around the stop ${JSON.stringify(result.outcomes)}, ${result.acked} acknowledged, ${result.lost} lost; ` +
        `server RSS steady with all screens ${result.rssSteadyMiB.toFixed(0)} MiB, peak after the storm ${result.rssPeakMiB.toFixed(0)} MiB (ratio ${(result.rssPeakMiB / result.rssSteadyMiB).toFixed(2)})`
    );
    expect(result.stopExit).toBe(0);
    expect(strayOutcomes(result)).toEqual([]);
    expect(result.bare503).toBe(0);
    expect(result.lost).toBe(0);
    expect(result.restartingSeen).toBe(CLIENTS);
    expect(result.resynced).toBe(CLIENTS);
    expect(result.figuresMatch).toBe(true);
  });
});
