// A wall whose network goes dark (no TCP close: the link just stops) for a while, then comes
// back: the scenario behind the 30-second browser test and the 5-minute soak. The wall must say
// so within 5 seconds of a missed heartbeat, keep showing what it had, and come back to the
// server's current figures by itself, without reloading.
import type { Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { asText, formatEnergy, formatPower } from '../../display/lib/format.ts';
import { SILENT_AFTER_MS } from '../../display/lib/wall/stale-banner.ts';
import { defaultDisplayDir } from '../../server/app.ts';
import type { Snapshot } from '../../server/contract.ts';
import { startTestApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { post, record, registerFleet } from '../helpers/fleet.ts';
import { startLink } from '../helpers/link.ts';

export interface NetworkLossResult {
  /** From the cut to the banner on screen. */
  bannerAfterMs: number;
  /** From the link's return to the banner gone and the server's figures on screen. */
  resyncAfterMs: number;
}

export async function networkLoss(outageMs: number, name: string): Promise<NetworkLossResult> {
  const artifacts = join(process.cwd(), 'test-results');
  mkdirSync(artifacts, { recursive: true });
  const t = await startTestApp({}, undefined, defaultDisplayDir);
  let browser: Browser | undefined;
  let link: Awaited<ReturnType<typeof startLink>> | undefined;
  try {
    await registerFleet(t.app, t.root.authorization);
    const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
    await post(t.app, t.root.authorization, {
      records: [record('AKL-1', at(60_000), 20, { power_w: 21_000 }), record('HNL-1', at(60_000), 30, { power_w: 11_000 })]
    });
    const screen = (await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Lobby' } })).json() as {
      id: string;
      token: string;
    };
    const port = Number(new URL(await t.app.listen({ port: 0, host: '127.0.0.1' })).port);
    link = await startLink({ host: '127.0.0.1', port });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${link.url}/screen/${screen.id}?mode=map#token=${screen.token}`);
    await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 60_000 });
    await page.evaluate(() => ((window as unknown as { sameLoad: boolean }).sameLoad = true));

    const snapshot = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/v1/screens/${screen.id}/snapshot`, headers: { authorization: `Bearer ${screen.token}` } })).json() as Snapshot;
    const figures = (s: Snapshot) => ({
      power: asText(formatPower(s.kpi.power_w)),
      today: asText(formatEnergy(s.kpi.today_kwh)),
      fault: String(s.status.fault)
    });
    const shown = async () => ({
      power: asText({
        value: (await page.locator('[data-kpi=power_w] [data-testid=kpi-value]').innerText()).trim(),
        unit: (await page.locator('[data-kpi=power_w] [data-testid=kpi-unit]').innerText()).trim()
      }),
      today: asText({
        value: (await page.locator('[data-kpi=today_kwh] [data-testid=kpi-value]').innerText()).trim(),
        unit: (await page.locator('[data-kpi=today_kwh] [data-testid=kpi-unit]').innerText()).trim()
      }),
      fault: (await page.locator('[data-status=fault] [data-testid=status-count]').innerText()).replace(/\D/g, '')
    });
    await expect.poll(shown, { timeout: 15_000 }).toEqual(figures(await snapshot()));
    const before = await shown();
    // A quiet fleet is no news: with nothing new to send for longer than the silence that means a
    // lost link, the server's pings keep the wall from crying wolf.
    const banner = page.locator('[data-testid=stale-banner]');
    const quietUntil = Date.now() + 2 * SILENT_AFTER_MS;
    while (Date.now() < quietUntil) {
      expect(await banner.isVisible(), 'banner on a quiet but healthy link').toBe(false);
      await page.waitForTimeout(250);
    }

    const cutAt = Date.now();
    link.cut();
    // The fleet moves on while the wall cannot hear it.
    await post(t.app, t.root.authorization, {
      records: [
        record('AKL-1', at(1_000), 25, { power_w: 43_210 }),
        record('HNL-1', at(1_000), 31, { power_w: 0, status: 'fault', fault_code: 'F07' })
      ]
    });
    // The last message (a ping, every 2 s) came at most a ping before the cut; the banner comes
    // once a ping and a half has passed in silence. Polled every 250 ms, so the time is the
    // banner's, not the poll's.
    await expect.poll(() => banner.isVisible(), { timeout: SILENT_AFTER_MS + 10_000, interval: 250 }).toBe(true);
    const bannerAfterMs = Date.now() - cutAt;
    await page.screenshot({ path: join(artifacts, `${name}-lost.png`) });
    expect(await banner.innerText()).toMatch(/Connection lost since \d\d:\d\d:\d\d/);
    // The corner marker agrees: not a green "Live" under a connection-lost banner.
    expect(await page.locator('[data-testid=connection]').innerText()).toMatch(/^Connection lost since \d\d:\d\d:\d\d$/);

    // Through the outage: the banner stays, and the wall shows what it had, not made-up figures.
    while (Date.now() - cutAt < outageMs) {
      await page.waitForTimeout(Math.min(15_000, outageMs - (Date.now() - cutAt)));
      expect(await banner.isVisible(), `banner at ${Math.round((Date.now() - cutAt) / 1000)} s`).toBe(true);
    }
    expect(await shown()).toEqual(before);

    const backAt = Date.now();
    link.restore();
    const current = figures(await snapshot());
    expect(current).not.toEqual(before);
    await banner.waitFor({ state: 'detached', timeout: 90_000 });
    await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 30_000 });
    await expect.poll(shown, { timeout: 30_000 }).toEqual(current);
    const resyncAfterMs = Date.now() - backAt;
    await page.screenshot({ path: join(artifacts, `${name}-back.png`) });
    expect(await page.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad), 'the wall reloaded').toBe(true);
    return { bannerAfterMs, resyncAfterMs };
  } finally {
    await browser?.close();
    await link?.close();
    await t.close();
  }
}
