// The wall's network dark for 5 minutes (SOAK_OUTAGE_MINUTES), long enough for Socket.IO to give
// the connection up on both sides and for the reconnection backoff to reach its ceiling.
import { describe, expect, it } from 'vitest';
import { networkLoss } from '../browser/network-loss.ts';

const OUTAGE_MINUTES = Number(process.env.SOAK_OUTAGE_MINUTES ?? 5);

describe('network loss, long', () => {
  it(`a ${OUTAGE_MINUTES}-minute outage: the banner throughout, then the current figures without a reload`, { timeout: (OUTAGE_MINUTES + 8) * 60_000 }, async () => {
    const result = await networkLoss(OUTAGE_MINUTES * 60_000, `network-${OUTAGE_MINUTES}min`);
    console.log(`network loss ${OUTAGE_MINUTES} min: banner after ${result.bannerAfterMs} ms, resynced ${result.resyncAfterMs} ms after the link came back`);
    // Within 5 s of the cut, as in the 30-second case (test/browser/network.test.ts).
    expect(result.bannerAfterMs).toBeLessThanOrEqual(5_000);
    // The longest reconnection delay is 10 s moved by up to half (display/lib/socket/reconnect.ts);
    // a handshake then takes a moment.
    expect(result.resyncAfterMs).toBeLessThanOrEqual(60_000);
  });
});
