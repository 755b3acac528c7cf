// The wall's network goes dark for 30 seconds without a TCP close (the 5-minute case runs in the
// soak: npm run test:soak).
import { describe, expect, it } from 'vitest';
import { SILENT_AFTER_MS } from '../../display/lib/wall/stale-banner.ts';
import { networkLoss } from './network-loss.ts';

describe('network loss', () => {
  it('a 30-second outage: the banner within 5 s of the missed heartbeat, then the current figures without a reload', { timeout: 240_000 }, async () => {
    const result = await networkLoss(30_000, 'network-30s');
    console.log(`network loss 30 s: banner after ${result.bannerAfterMs} ms, resynced ${result.resyncAfterMs} ms after the link came back`);
    // The banner waits for a missed heartbeat plus 5 s, counted from the last message, which
    // came before the cut; 2 s for the poll and a loaded machine.
    expect(result.bannerAfterMs).toBeLessThanOrEqual(SILENT_AFTER_MS + 2_000);
  });
});
