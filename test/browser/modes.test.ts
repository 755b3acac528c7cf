// Every display mode in headless Chromium against the real server, checked against the API's
// numbers, with screenshots at 1920x1080 and 3840x2160; the language switch; a tiled video wall;
// and a connection lost and found again.
import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asText, formatEnergy } from '../../display/lib/format.ts';
import { defaultDisplayDir } from '../../server/app.ts';
import type { AlarmEvent, DeviceRow, Page as Rows, PlantRow, ScreenSettings, Snapshot } from '../../server/contract.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { post, record, registerFleet } from '../helpers/fleet.ts';

const artifacts = join(process.cwd(), 'test-results');
let t: TestApp;
let browser: Browser;
let base: string;
let port: number;
let screen: { id: string; token: string };

async function settle(settings: Partial<ScreenSettings>): Promise<void> {
  const record = t.app.credentials.screens.get(screen.id)!;
  const next = { ...record, settings: { ...record.settings, ...settings } };
  await t.app.credentials.writeScreen(next);
  t.app.gateway.screenChanged(next);
}

async function api<T>(path: string): Promise<T> {
  const answer = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${screen.id}${path}`, headers: { authorization: `Bearer ${screen.token}` } });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json() as T;
}

async function open(query: string, size = { width: 1920, height: 1080 }): Promise<Page> {
  const page = await browser.newPage({ viewport: size });
  await page.goto(`${base}/screen/${screen.id}${query}#token=${screen.token}`);
  await page.locator('[data-testid=screen]').waitFor({ timeout: 60_000 });
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}-1920x1080.png`) });
  await page.setViewportSize({ width: 3840, height: 2160 });
  await page.waitForTimeout(500);
  const overflow = await page.evaluate(() => [document.documentElement.scrollWidth > innerWidth, document.documentElement.scrollHeight > innerHeight]);
  expect(overflow, `${name} scrolls at 4K`).toEqual([false, false]);
  await page.screenshot({ path: join(artifacts, `${name}-3840x2160.png`) });
}

beforeAll(async () => {
  t = await startTestApp({}, undefined, defaultDisplayDir);
  await registerFleet(t.app, t.root.authorization);
  await t.app.inject({
    method: 'PUT',
    url: '/api/v1/tenants/cust-nz',
    headers: t.root,
    payload: { name: 'Auckland Farm', parent_id: 'inst', kind: 'customer', timezone: 'Pacific/Auckland', contact: { name: 'Aroha Ngata', email: 'aroha@farm.example' } }
  });
  const at = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  await post(t.app, t.root.authorization, {
    records: [
      record('AKL-1', at(6), 31.5, { power_w: 21_000 }),
      record('AKL-2', at(6), 12.25, { power_w: 9_000 }),
      record('AKL-3', at(3), 4, { power_w: 6_000, battery: { soc: 64, power_w: 2_500 }, grid_power_w: -1_200, load_power_w: 2_300 }),
      record('AKL-4', at(3), 2, { power_w: 7_000 }),
      record('HNL-1', at(3), 55.5, { power_w: 30_000 })
    ]
  });
  await post(t.app, t.root.authorization, { records: [record('AKL-2', at(2), 12.25, { status: 'fault', fault_code: 'F07 grid overvoltage', power_w: 0 })] });
  screen = (await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Modes' } })).json() as { id: string; token: string };
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(base).port);
  browser = await launchChromium();
  mkdirSync(artifacts, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('list modes', () => {
  it('plant list: the rows and figures the API gives, in its order', async () => {
    const page = await open('?mode=plants&sort=today_kwh&order=desc');
    const table = page.locator('[data-testid=mode-plants] [data-testid=paged-table][data-loaded=true]');
    await table.waitFor({ timeout: 30_000 });
    const expected = await api<Rows<PlantRow>>('/plants?sort=today_kwh&order=desc');
    const ids = await page.locator('[data-testid=mode-plants] [data-testid=row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(ids).toEqual(expected.rows.map((r) => r.id));
    const today = await page.locator('[data-testid=row][data-id=p-akl] [data-cell=today_kwh]').innerText();
    expect(today.replace(/\s/g, ' ')).toBe(asText(formatEnergy(expected.rows.find((r) => r.id === 'p-akl')!.today_kwh)).replace(/\s/g, ' '));
    expect(await page.locator('[data-testid=row][data-id=p-akl] [data-cell=owner]').innerText()).toBe('A*** N***');
    await shoot(page, 'mode-plants');
    await page.close();
  });

  it('device list: every device with its status', async () => {
    const page = await open('?mode=devices&sort=sn&order=asc');
    await page.locator('[data-testid=mode-devices] [data-testid=paged-table][data-loaded=true]').waitFor({ timeout: 30_000 });
    const expected = await api<Rows<DeviceRow>>('/devices?sort=sn&order=asc');
    const rows = await page.locator('[data-testid=mode-devices] [data-testid=row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(rows).toEqual(expected.rows.map((r) => r.sn));
    expect(await page.locator('[data-testid=row][data-id=AKL-2] [data-status]').first().getAttribute('data-status')).toBe('fault');
    await shoot(page, 'mode-devices');
    await page.close();
  });

  it('customer list: masked unless the screen allows personal data', async () => {
    const page = await open('?mode=customers');
    await page.locator('[data-testid=mode-customers] [data-testid=paged-table][data-loaded=true]').waitFor({ timeout: 30_000 });
    const text = await page.locator('[data-testid=mode-customers]').innerText();
    expect(text).toContain('A*** N***');
    expect(text).not.toContain('Aroha');
    await shoot(page, 'mode-customers');
    await page.close();
  });

  it('alarms: the fault, newest first, with plant, device and code', async () => {
    const page = await open('?mode=alarms');
    const snapshot = await api<Snapshot>('/snapshot');
    const first = snapshot.alarms![0] as AlarmEvent;
    const alarm = page.locator('[data-testid=alarm]').first();
    await alarm.waitFor({ timeout: 30_000 });
    expect(await alarm.getAttribute('data-kind')).toBe(first.kind);
    expect(await alarm.getAttribute('data-sn')).toBe('AKL-2');
    expect(await alarm.innerText()).toContain('F07');
    await shoot(page, 'mode-alarms');
    await page.close();
  });
});

describe('plant mode', () => {
  it('shows one plant with its devices and a power flow that follows the readings', async () => {
    await settle({ plant_id: 'p-akl' });
    const page = await open('?mode=plant');
    const flow = page.locator('[data-testid=mode-plant][data-plant-id=p-akl] [data-testid=power-flow]');
    await flow.waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=plant-device]').count()).toBe(4);
    expect(await page.locator('[data-testid=battery-soc]').textContent()).toContain('64');
    const edges = await page
      .locator('[data-testid=flow-edge]')
      .evaluateAll((es) => Object.fromEntries(es.map((e) => [e.getAttribute('data-node'), `${e.getAttribute('data-direction')} ${e.getAttribute('data-state')}`])));
    // The readings: PV producing, the battery charging (+2.5 kW), 1.2 kW exported, the home using 2.3 kW.
    expect(edges).toMatchObject({ pv: 'in producing', battery: 'out charging', grid: 'out exporting', home: 'out consuming' });
    await shoot(page, 'mode-plant');
    await page.close();
    await settle({ plant_id: null });
  });
});

describe('language', () => {
  it('shows the wall in Simplified Chinese when the screen says so', async () => {
    await settle({ language: 'zh-CN' });
    const page = await open('?mode=map');
    await page.locator('[data-testid=screen][data-language=zh-CN]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('[data-status=normal]').innerText(), { timeout: 10_000 }).toContain('正常');
    await page.screenshot({ path: join(artifacts, 'wall-zh-CN-1920x1080.png') });
    await page.close();
    await settle({ language: null });
  });
});

describe('walls built of several screens', () => {
  it('shows each browser its tile of one canvas, kept in step', async () => {
    const left = await open('?mode=map&wall=2x1&tile=0,0', { width: 960, height: 540 });
    const right = await open('?mode=map&wall=2x1&tile=1,0', { width: 960, height: 540 });
    for (const [page, tile] of [[left, '0,0'], [right, '1,0']] as const) {
      await page.locator(`[data-testid=wall-frame][data-wall="2x1"][data-tile="${tile}"]`).waitFor({ timeout: 30_000 });
      await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 60_000 });
    }
    // The title sits on the left tile, the clock on the right one.
    const title = await left.locator('[data-testid=wall-title]').boundingBox();
    expect(title && title.x >= 0 && title.x < 960).toBe(true);
    const titleOnRight = await right.locator('[data-testid=wall-title]').boundingBox();
    expect(titleOnRight === null || titleOnRight.x + titleOnRight.width <= 0).toBe(true);
    // New figures reach both tiles.
    await post(t.app, t.root.authorization, { records: [record('HNL-1', new Date(Date.now() - 1000).toISOString(), 60, { power_w: 33_333 })] });
    const asOf = async (page: Page) => page.locator('[data-testid=wall]').getAttribute('data-as-of');
    await expect.poll(async () => (await asOf(left)) === (await asOf(right)) && (await asOf(left)) !== null, { timeout: 10_000 }).toBe(true);
    await left.screenshot({ path: join(artifacts, 'tile-0-0.png') });
    await right.screenshot({ path: join(artifacts, 'tile-1-0.png') });
    await left.close();
    await right.close();
  });
});

describe('connection loss', () => {
  it('says since when within seconds and resyncs when the server is back, without a reload', async () => {
    const page = await open('?mode=map');
    await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 60_000 });
    await page.evaluate(() => ((window as unknown as { sameLoad: boolean }).sameLoad = true));
    await t.app.close();
    await page.locator('[data-testid=stale-banner]').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(artifacts, 'connection-lost.png') });
    await t.restart().catch(() => undefined);
    await t.app.listen({ port, host: '127.0.0.1' });
    await post(t.app, t.root.authorization, { records: [record('HNL-1', new Date(Date.now() - 500).toISOString(), 61, { power_w: 44_444 })] });
    await page.locator('[data-testid=stale-banner]').waitFor({ state: 'detached', timeout: 60_000 });
    await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('[data-kpi=power_w] [data-testid=kpi-value]').innerText(), { timeout: 15_000 }).not.toBe('');
    expect(await page.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad)).toBe(true);
    await page.close();
  });
});
