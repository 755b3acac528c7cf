// The wall in headless Chromium: open a screen URL, wait for the map, and read the KPI numbers a
// person would see against the snapshot the API gives for the same screen.
import type { Browser } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDisplayDir } from '../../server/app.ts';
import type { Snapshot } from '../../server/contract.ts';
import { asText, formatEnergy, formatMass, formatPower } from '../../display/lib/format.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { post, record, registerFleet } from '../helpers/fleet.ts';

const artifacts = join(process.cwd(), 'test-results');
let t: TestApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(join(defaultDisplayDir, 'index.html'))) throw new Error('the display is not built: run `npm run build` first');
  t = await startTestApp({}, undefined, defaultDisplayDir);
  await registerFleet(t.app, t.root.authorization);
  const now = Date.now();
  const answer = await post(t.app, t.root.authorization, {
    records: [
      record('AKL-1', new Date(now - 60_000).toISOString(), 123.4, { power_w: 41_500, e_total_kwh: 98_765 }),
      record('AKL-2', new Date(now - 60_000).toISOString(), 77.7, { power_w: 12_250, status: 'fault', fault_code: 'F07' }),
      record('HNL-1', new Date(now - 60_000).toISOString(), 55.5, { power_w: 30_000 })
    ]
  });
  expect(answer.json()).toMatchObject({ accepted: 3 });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('the wall', () => {
  it('shows the snapshot numbers on a live map wall', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Lobby' } });
    const screen = created.json() as { id: string; token: string; url: string };
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(screen.url.replace(/^http:\/\/[^/]+/, base));
    await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 60_000 });
    await page.locator('canvas.maplibregl-canvas').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=map][data-ready=true]').waitFor({ timeout: 60_000 });
    // The token leaves the address bar once the page has it.
    expect(page.url()).not.toContain(screen.token);

    const snapshot = (
      await t.app.inject({ method: 'GET', url: `/api/v1/screens/${screen.id}/snapshot`, headers: { authorization: `Bearer ${screen.token}` } })
    ).json() as Snapshot;
    const shown = async (kpi: string) => (await page.locator(`[data-kpi=${kpi}] [data-testid=kpi-value]`).innerText()).trim();
    const unit = async (kpi: string) => (await page.locator(`[data-kpi=${kpi}] [data-testid=kpi-unit]`).innerText()).trim();
    const expected: [string, ReturnType<typeof formatPower>][] = [
      ['power_w', formatPower(snapshot.kpi.power_w)],
      ['today_kwh', formatEnergy(snapshot.kpi.today_kwh)],
      ['month_kwh', formatEnergy(snapshot.kpi.month_kwh)],
      ['year_kwh', formatEnergy(snapshot.kpi.year_kwh)],
      ['total_kwh', formatEnergy(snapshot.kpi.total_kwh)],
      ['co2_avoided_kg', formatMass(snapshot.kpi.co2_avoided_kg)]
    ];
    for (const [kpi, formatted] of expected) {
      expect({ value: await shown(kpi), unit: await unit(kpi) }, kpi).toEqual(formatted);
    }
    // Power: 41.5 kW + 12.25 kW + 30 kW of devices that are not offline.
    expect(asText(formatPower(snapshot.kpi.power_w))).toBe('83.8\u00a0kW');
    for (const status of ['all', 'normal', 'fault', 'offline'] as const) {
      const count = await page.locator(`[data-status=${status}] [data-testid=status-count]`).innerText();
      expect(Number(count.replace(/\D/g, '')), status).toBe(snapshot.status[status]);
    }
    await page.screenshot({ path: join(artifacts, 'wall-1920x1080.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
