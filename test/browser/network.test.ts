// The wall's network goes dark for 30 seconds without a TCP close (the 5-minute case runs in the
// soak: npm run test:soak).
import { describe, expect, it } from 'vitest';
import { networkLoss } from './network-loss.ts';

describe('network loss', () => {
  it('a 30-second outage: the banner within 5 s of the cut, then the current figures without a reload', { timeout: 240_000 }, async () => {
    const result = await networkLoss(30_000, 'network-30s');
    console.log(`network loss 30 s: banner after ${result.bannerAfterMs} ms, resynced ${result.resyncAfterMs} ms after the link came back`);
    // Silence of a ping and a half (server pings every 2 s), counted from the last message,
    // which came before the cut, and the wall's one-second tick.
    expect(result.bannerAfterMs).toBeLessThanOrEqual(5_000);
  });
});
