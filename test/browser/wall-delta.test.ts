// A live delta on the wall in headless Chromium, over the columnar encoding: one plant of a
// hundred changes (1%), its marker takes the new colour, and deck.gl re-reads that marker's row
// only (the plants layer is not rebuilt).
import type { Browser, Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDisplayDir } from '../../server/app.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { post, record } from '../helpers/fleet.ts';

const artifacts = join(process.cwd(), 'test-results');
let t: TestApp;
let browser: Browser;
let base: string;

// 100 plants: 10 far apart (each drawn on its own on the whole-world view), 90 in one cluster.
const ALONE = [-150, -120, -90, -60, -30, 30, 60, 90, 120, 150];
const plants = Array.from({ length: 100 }, (_, i) => ({
  id: `g-${i}`,
  tenant_id: 'grid',
  name: `Grid ${i}`,
  lat: i < ALONE.length ? (i % 2 ? 25 : -15) : 50 + (i % 9) * 0.01,
  lon: i < ALONE.length ? ALONE[i] : 10 + Math.floor(i / 9) * 0.01,
  timezone: 'UTC',
  capacity_kw: 100
}));
const devices = plants.map((p) => ({ sn: `SN-${p.id}`, plant_id: p.id, kind: 'inverter', rated_power_w: 100_000 }));

beforeAll(async () => {
  if (!existsSync(join(defaultDisplayDir, 'index.html'))) throw new Error('the display is not built: run `npm run build` first');
  t = await startTestApp({}, undefined, defaultDisplayDir);
  const registry = await t.app.inject({
    method: 'POST',
    url: '/api/v1/registry',
    headers: t.root,
    payload: { tenants: [{ id: 'grid', name: 'Grid Solar', parent_id: null, kind: 'distributor', timezone: 'UTC' }], plants, devices }
  });
  expect(registry.statusCode).toBe(200);
  // Every plant reporting, but for two that stay silent (offline) until the test speaks for them.
  const ts = new Date(Date.now() - 60_000).toISOString();
  const answer = await post(t.app, t.root.authorization, { records: devices.slice(2).map((d) => record(d.sn, ts, 10)) });
  expect(answer.json()).toMatchObject({ accepted: 98 });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

type Rgb = [number, number, number];
type Uploads = { full: number; partial: number; rows: number };
type Hook = { fleetwall?: { map: import('maplibre-gl').Map; markerUploads: Uploads } };

/** The colour at the centre of a plant's marker, from a screenshot of the page. */
async function markerColour(page: Page, plant: { lon: number; lat: number }): Promise<Rgb> {
  const at = await page.evaluate((p) => {
    const el = document.querySelector('[data-testid=map]') as HTMLElement & Hook;
    const point = el.fleetwall!.map.project([p.lon, p.lat]);
    const box = el.getBoundingClientRect();
    return { x: Math.round(box.left + point.x), y: Math.round(box.top + point.y) };
  }, plant);
  const png = await page.screenshot({ clip: { x: at.x - 1, y: at.y - 1, width: 3, height: 3 } });
  const { data } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return [data[12], data[13], data[14]];
}

const uploads = (page: Page) =>
  page.evaluate(() => ({ ...(document.querySelector('[data-testid=map]') as HTMLElement & Hook).fleetwall!.markerUploads }));

const isGreen = ([r, g, b]: Rgb) => g > r + 40 && g > b + 20;
const isRed = ([r, g, b]: Rgb) => r > g + 60 && r > b + 40;
const isGrey = ([r, g, b]: Rgb) => Math.max(r, g, b) - Math.min(r, g, b) < 30;

async function waitForColour(page: Page, plant: { lon: number; lat: number }, test: (c: Rgb) => boolean): Promise<Rgb> {
  const deadline = Date.now() + 20_000;
  let colour = await markerColour(page, plant);
  while (!test(colour) && Date.now() < deadline) {
    await page.waitForTimeout(250);
    colour = await markerColour(page, plant);
  }
  return colour;
}

describe('a live delta on the wall', () => {
  it('recolours the markers of the plants that changed, re-reading only their rows', { timeout: 120_000 }, async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'grid', name: 'Grid' } });
    const screen = created.json() as { url: string };
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(screen.url.replace(/^http:\/\/[^/]+/, base));
    await page.locator('[data-testid=map][data-ready=true][data-plants-drawn="10"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('[data-testid=map]').getAttribute('data-clusters'), { timeout: 10_000 }).toBe('1');
    await page.waitForTimeout(500);

    const silent = plants[0];
    const healthy = plants[5];
    // The legend's counts are kept by each delta from its changed rows.
    const legend = (status: string) => page.locator(`[data-testid=legend-${status}] b`).innerText();
    expect([await legend('normal'), await legend('offline'), await legend('fault')]).toEqual(['98', '2', '0']);
    expect(isGrey(await markerColour(page, silent)), 'offline plant is grey').toBe(true);
    expect(isGreen(await markerColour(page, healthy)), 'normal plant is green').toBe(true);
    await page.screenshot({ path: join(artifacts, 'wall-delta-before.png') });
    const before = await uploads(page);

    // One plant of a hundred comes online: a plain recolour in the plants layer.
    const now = Date.now();
    await post(t.app, t.root.authorization, { records: [record(devices[0].sn, new Date(now - 1000).toISOString(), 11)] });
    const online = await waitForColour(page, silent, isGreen);
    expect(online, 'the plant that came online turns green').toSatisfy(isGreen);
    const afterOnline = await uploads(page);
    expect(afterOnline.full, 'the plants layer was not rebuilt').toBe(before.full);
    expect(afterOnline.partial).toBeGreaterThan(before.partial);
    expect(afterOnline.rows - before.rows, 'marker rows re-read').toBeLessThanOrEqual(afterOnline.partial - before.partial);

    // Another one goes to fault: red, with the alert ring.
    await post(t.app, t.root.authorization, {
      records: [record(devices[5].sn, new Date(now).toISOString(), 12, { status: 'fault', fault_code: 'F01' })]
    });
    const fault = await waitForColour(page, healthy, isRed);
    expect(fault, 'the plant at fault turns red').toSatisfy(isRed);
    const afterFault = await uploads(page);
    expect(afterFault.full, 'the plants layer was not rebuilt').toBe(before.full);
    expect(afterFault.rows - before.rows).toBeLessThanOrEqual(afterFault.partial - before.partial);
    // The others kept their colours.
    expect(isGreen(await markerColour(page, plants[6]))).toBe(true);
    expect(isGrey(await markerColour(page, plants[1]))).toBe(true);
    await expect.poll(() => page.locator('[data-status=fault] [data-testid=status-count]').innerText()).toBe('1');
    expect([await legend('normal'), await legend('offline'), await legend('fault')]).toEqual(['98', '1', '1']);
    await page.screenshot({ path: join(artifacts, 'wall-delta-after.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
