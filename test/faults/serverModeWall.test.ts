// What a wall shows in server mode when the ClickHouse server is killed and comes back, in
// headless Chromium: its figures stay, a banner says data is delayed since when, and it goes by
// itself once the store is back and new records show.
import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDisplayDir } from '../../server/app.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { startClickHouseStandIn, type ClickHouseStandIn } from '../helpers/clickhouseStandIn.ts';
import { post, record, registerFleet } from '../helpers/fleet.ts';

const artifacts = join(process.cwd(), 'test-results');
let standIn: ClickHouseStandIn;
let t: TestApp;
let browser: Browser;
let page: Page;

const banner = () => page.locator('[data-testid=stale-banner]');
const shown = (kpi: string) => page.locator(`[data-kpi=${kpi}] [data-testid=kpi-value]`).innerText();

beforeAll(async () => {
  standIn = await startClickHouseStandIn();
  t = await startTestApp({ ...standIn.env, FLEETWALL_STORE_TIMEOUT: '3' }, undefined, defaultDisplayDir);
  await registerFleet(t.app, t.root.authorization);
  await post(t.app, t.root.authorization, { batch_id: 'first', records: [record('AKL-1', new Date(Date.now() - 60_000).toISOString(), 42.5, { power_w: 12_000 })] });
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Lobby' } });
  const screen = created.json() as { id: string; token: string };
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`http://127.0.0.1:${port}/screen/${screen.id}?mode=map#token=${screen.token}`);
  await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await standIn?.close();
});

describe('the wall in server mode when the ClickHouse server is killed', () => {
  it('keeps its figures with a "Data delayed" banner, and clears it by itself when the store is back', { timeout: 60_000 }, async () => {
    await expect.poll(() => shown('power_w'), { timeout: 15_000 }).toBe('12.0');
    const before = await shown('today_kwh');
    await standIn.kill();
    const during = { batch_id: 'during', records: [record('AKL-1', new Date(Date.now() - 30_000).toISOString(), 50, { power_w: 13_000 })] };
    const refused = await post(t.app, t.root.authorization, during);
    expect(refused.statusCode).toBe(503);
    await expect.poll(async () => (await banner().count()) && banner().innerText(), { timeout: 15_000 }).toMatch(/^Data delayed since \d\d:\d\d:\d\d — showing figures from \d\d:\d\d:\d\d$/);
    expect(await shown('today_kwh')).toBe(before);
    expect(await shown('power_w')).toBe('12.0');
    await page.screenshot({ path: join(artifacts, 'wall-server-mode-store-killed.png') });

    await standIn.restart();
    await banner().waitFor({ state: 'detached', timeout: 20_000 });
    const retried = await post(t.app, t.root.authorization, during);
    expect(retried.statusCode).toBe(200);
    await expect.poll(() => shown('power_w'), { timeout: 15_000 }).toBe('13.0');
    expect(await page.locator('[data-testid=connection]').innerText()).toMatch(/^Live · /);
  });
});
