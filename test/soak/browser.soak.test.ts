// The wall in Chromium for SOAK_MINUTES (60 by default) with the demo fleet reporting at ten
// times the normal rate: every device every 30 s instead of every 5 minutes. Every
// SAMPLE_SECONDS, through the DevTools protocol: the JS heap after a forced garbage collection,
// DOM nodes, event listeners, documents and layouts, and the page's own element count. After the
// warm-up none of them may keep growing.
import type { Browser, CDPSession, Page } from 'playwright-core';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDisplayDir } from '../../server/app.ts';
import { buildDemoFleet, DEMO_DISTRIBUTOR_ID } from '../../server/demo/fleet.ts';
import { DemoSimulator } from '../../server/demo/simulator.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { describeTrend, SAMPLE_SECONDS, saveSoak, sleep, SOAK_MINUTES, SOAK_TIMEOUT_MS, trend, type Sample } from './trend.ts';

const CADENCE_MS = 30_000;
// Growth limits per hour. A wall stays up for weeks: 1 MB an hour is 0.7 GB a month, enough to
// take a TV stick's browser down, and is what a leak of 300 bytes per update (one a second)
// adds. A DOM node or a listener per minute left behind (60 an hour) is a leak the same way.
const LIMITS = { heapMB: 1, nodes: 60, listeners: 60, documents: 0.5, elements: 60 };

let t: TestApp;
let simulator: DemoSimulator;
let browser: Browser;
let page: Page;
let cdp: CDPSession;

beforeAll(async () => {
  t = await startTestApp({}, undefined, defaultDisplayDir);
  const fleet = buildDemoFleet();
  await t.app.registry.upsert({ kind: 'root' }, fleet);
  simulator = new DemoSimulator(fleet, { upsertRegistry: async () => undefined, ingest: (batch) => t.app.ingestor.ingest({ kind: 'root' }, batch) }, {
    cadenceMs: CADENCE_MS,
    log: (msg) => console.warn(`demo: ${msg}`)
  });
  simulator.start();
  const screen = (await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: DEMO_DISTRIBUTOR_ID, name: 'Soak' } })).json() as {
    id: string;
    token: string;
  };
  const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${base}/screen/${screen.id}#token=${screen.token}`);
  await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 120_000 });
  await page.locator('[data-testid=map][data-ready=true]').waitFor({ timeout: 120_000 });
  await page.evaluate(() => ((window as unknown as { sameLoad: boolean }).sameLoad = true));
  cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
});

afterAll(async () => {
  await simulator?.stop();
  await browser?.close();
  await t?.close();
});

async function sample(t0: number): Promise<Sample & { asOf: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  const page_ = await page.evaluate(() => ({
    elements: document.getElementsByTagName('*').length,
    asOf: Date.parse(document.querySelector('[data-testid=wall]')?.getAttribute('data-as-of') ?? '')
  }));
  return {
    t: Date.now() - t0,
    heapMB: metric('JSHeapUsedSize') / 2 ** 20,
    nodes: metric('Nodes'),
    listeners: metric('JSEventListeners'),
    documents: metric('Documents'),
    layouts: metric('LayoutCount'),
    elements: page_.elements,
    asOf: page_.asOf
  };
}

describe('browser soak', () => {
  it(`the wall for ${SOAK_MINUTES} min at 10x the reporting rate: heap, DOM and listeners flat after the warm-up`, { timeout: SOAK_TIMEOUT_MS }, async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const t0 = Date.now();
    const samples: (Sample & { asOf: number })[] = [];
    while (Date.now() - t0 < SOAK_MINUTES * 60_000) {
      const s = await sample(t0);
      samples.push(s);
      console.log(
        `browser soak ${(s.t / 60_000).toFixed(1)} min: heap ${s.heapMB.toFixed(2)} MB, nodes ${s.nodes}, listeners ${s.listeners}, documents ${s.documents}, layouts ${s.layouts}, elements ${s.elements}`
      );
      await sleep(Math.max(0, (samples.length * SAMPLE_SECONDS * 1000) - (Date.now() - t0)));
    }
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'soak-browser-end.png') });

    const trends = [
      trend(samples, 'heapMB', 'MB', LIMITS.heapMB),
      trend(samples, 'nodes', 'nodes', LIMITS.nodes),
      trend(samples, 'listeners', 'listeners', LIMITS.listeners),
      trend(samples, 'documents', 'documents', LIMITS.documents),
      trend(samples, 'elements', 'elements', LIMITS.elements)
    ];
    const file = saveSoak('browser', samples, trends, { cadenceMs: CADENCE_MS, devices: buildDemoFleet().devices.length });
    for (const tr of trends) console.log(`browser soak ${describeTrend(tr)}`);
    console.log(`browser soak samples: ${file}`);

    // The wall kept up: the figures moved on between every two samples, and it never reloaded.
    const stuck = samples.slice(1).filter((s, i) => !(s.asOf > samples[i].asOf));
    expect(stuck.map((s) => Math.round(s.t / 1000)), 'samples where as_of had not moved').toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { sameLoad?: boolean }).sameLoad), 'the wall reloaded').toBe(true);
    expect(errors).toEqual([]);
    expect(trends.filter((tr) => tr.growing).map(describeTrend)).toEqual([]);
  });
});
