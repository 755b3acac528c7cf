// What a wall shows when the store fails and when the server restarts, in headless Chromium
// against the real app: the figures stay, a banner says data is delayed (and since when), and it
// goes by itself when the store is back; a graceful stop is announced as a restart.
import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDisplayDir } from '../../server/app.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { post, record, registerFleet } from '../helpers/fleet.ts';
import { faultyStore, StoreFaults } from './faultyStore.ts';

const artifacts = join(process.cwd(), 'test-results');
const faults = new StoreFaults();
let t: TestApp;
let browser: Browser;
let page: Page;
let port: number;

const banner = () => page.locator('[data-testid=stale-banner]');
const todayShown = () => page.locator('[data-kpi=today_kwh] [data-testid=kpi-value]').innerText();

beforeAll(async () => {
  t = await startTestApp({}, undefined, defaultDisplayDir, (store) => faultyStore(store, faults));
  await registerFleet(t.app, t.root.authorization);
  await post(t.app, t.root.authorization, { records: [record('AKL-1', new Date(Date.now() - 60_000).toISOString(), 42.5, { power_w: 12_000 })] });
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Lobby' } });
  const screen = created.json() as { id: string; token: string };
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as { port: number }).port;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`http://127.0.0.1:${port}/screen/${screen.id}?mode=map#token=${screen.token}`);
  await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  faults.recover();
  await browser?.close();
  await t?.close();
});

describe('the wall when the store fails', () => {
  it('keeps its figures, says data is delayed since when, and clears by itself when the store is back', async () => {
    const before = await todayShown();
    faults.fail();
    const refused = await post(t.app, t.root.authorization, { records: [record('AKL-1', new Date(Date.now() - 30_000).toISOString(), 50, { power_w: 13_000 })] });
    expect(refused.statusCode).toBe(503);
    await expect.poll(async () => (await banner().count()) && banner().innerText(), { timeout: 15_000 }).toMatch(/^Data delayed since \d\d:\d\d:\d\d — showing figures from \d\d:\d\d:\d\d$/);
    expect(await todayShown()).toBe(before);
    // The corner marker agrees with the banner: not "Live" while the figures are frozen.
    expect(await page.locator('[data-testid=connection]').innerText()).toMatch(/^Data delayed · /);
    await page.screenshot({ path: join(artifacts, 'wall-data-delayed.png') });
    faults.recover();
    await banner().waitFor({ state: 'detached', timeout: 15_000 });
    expect(await page.locator('[data-testid=connection]').getAttribute('data-state')).toBe('live');
    expect(await page.locator('[data-testid=connection]').innerText()).toMatch(/^Live · /);
  });
});

describe('the wall when the server restarts', () => {
  it('says the server is restarting, then resyncs by itself when it is back', async () => {
    await t.app.close();
    await expect.poll(async () => (await banner().count()) && banner().innerText(), { timeout: 20_000 }).toMatch(/^Server restarting since /);
    await page.screenshot({ path: join(artifacts, 'wall-server-restarting.png') });
    await t.restart().catch(() => undefined);
    await t.app.listen({ port, host: '127.0.0.1' });
    await post(t.app, t.root.authorization, { records: [record('AKL-1', new Date(Date.now() - 10_000).toISOString(), 61.5, { power_w: 14_000 })] });
    await banner().waitFor({ state: 'detached', timeout: 30_000 });
    // The new record's power (its energy may fall on a new local day for Auckland).
    await expect.poll(() => page.locator('[data-kpi=power_w] [data-testid=kpi-value]').innerText(), { timeout: 15_000 }).toBe('14.0');
  });
});
