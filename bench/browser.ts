// The wall in headless Chromium (software WebGL, 1920x1080): frame time with 100k and 1M plants
// against the empty basemap, time to first paint, and the size of the 100k-plant snapshot on the
// display's socket. No database: build/ is served by a throwaway static server in this process,
// with a Socket.IO server on the same port that lets any token in and sends a synthetic snapshot.
//
//   node --import tsx bench/browser.ts [--profile] [--fleets 0,100000,1000000]
//   FLEETWALL_BUILD_DIR=/tmp/x/build ...   serve another build (someone else may be rebuilding build/)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { CDPSession, Page } from 'playwright-core';
import type { ClientToServerEvents, PlantPoint, ServerToClientEvents, Snapshot } from '../server/contract.ts';
import { DEFAULT_SCREEN_SETTINGS } from '../server/auth/credentials.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { fmt, percentile } from './lib.ts';
import { syntheticSnapshot } from './wall-fleet.ts';

const args = process.argv.slice(2);
const profile = args.includes('--profile');
const fleetsArg = args[args.indexOf('--fleets') + 1];
const FLEETS = args.includes('--fleets') ? fleetsArg.split(',').map(Number) : [0, 100_000, 1_000_000];
const BUILD = resolve(process.env.FLEETWALL_BUILD_DIR ?? 'build');
const VIEWPORT = { width: 1920, height: 1080 };
// A slow linear pan (MapLibre's own camera animation, as the fly-through uses): every frame moves
// the camera, so MapLibre and deck.gl both redraw every frame; 'moveend' fires only at the end.
const WARMUP_S = 1.5;
const MEASURE_S = 8;
const PAN_PX_PER_S = 60;
// The fleet view: the whole world (what the synthetic fleet's extent comes to), the same camera
// for every fleet so the basemap under the markers is the same.
const FAR = { lon: 10, lat: 22, zoom: 1.9 };
// The close view: the fly-through's focus zoom (past the clusters' last level, every plant on its
// own) over the fleet's densest place.
const CLOSE = { lon: 8.7, lat: 50.1, zoom: 10 };

if (!existsSync(join(BUILD, 'index.html'))) {
  console.error(`browser: no display build in ${BUILD} (run npx vite build first)`);
  process.exit(1);
}

// --- the throwaway server ------------------------------------------------------------------
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf'
};

function serveStatic(req: IncomingMessage, res: ServerResponse) {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (path === '/api/v1/display/config') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"map_style":null}');
    return;
  }
  if (path.startsWith('/api/')) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not in the bench"}');
    return;
  }
  let file = normalize(join(BUILD, path));
  if (!file.startsWith(BUILD) || !existsSync(file) || statSync(file).isDirectory()) file = join(BUILD, 'index.html');
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
}

const http = createServer(serveStatic);
const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { transports: ['websocket'] });
let current: Snapshot | null = null;
io.on('connection', (socket) => {
  socket.emit('screen', { id: 'bench', name: 'Bench wall', settings: DEFAULT_SCREEN_SETTINGS });
  if (current) socket.emit('snapshot', current);
});
await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

// --- in the page ---------------------------------------------------------------------------
interface PanResult {
  frames: number[];
  renders: number;
}

/** Pans the map linearly for warmup + measure seconds; rAF intervals of the measured part. */
function pan(page: Page): Promise<PanResult> {
  return page.evaluate(
    ({ warmup, measure, pxPerS }) => {
      type Hook = { fleetwall?: { map: import('maplibre-gl').Map } };
      const el = document.querySelector('[data-testid=map]') as (HTMLElement & Hook) | null;
      const map = el?.fleetwall?.map;
      if (!map) throw new Error('no map hook on [data-testid=map]');
      const total = (warmup + measure) * 1000;
      const canvas = map.getCanvas();
      const to = map.unproject([canvas.clientWidth / 2 + pxPerS * (warmup + measure), canvas.clientHeight / 2]);
      let renders = 0;
      const onRender = () => {
        if (performance.now() - start >= warmup * 1000) renders++;
      };
      const start = performance.now();
      return new Promise<PanResult>((done) => {
        const frames: number[] = [];
        let last = start;
        map.on('render', onRender);
        map.easeTo({ center: to, duration: total, easing: (t) => t, essential: true });
        const tick = (now: number) => {
          if (last - start >= warmup * 1000) frames.push(now - last);
          last = now;
          if (now - start < total) requestAnimationFrame(tick);
          else {
            map.off('render', onRender);
            done({ frames, renders });
          }
        };
        requestAnimationFrame(tick);
      });
    },
    { warmup: WARMUP_S, measure: MEASURE_S, pxPerS: PAN_PX_PER_S }
  );
}

async function jumpAndSettle(page: Page, view: { lon: number; lat: number; zoom: number }) {
  await page.evaluate((v) => {
    type Hook = { fleetwall?: { map: import('maplibre-gl').Map } };
    const map = (document.querySelector('[data-testid=map]') as HTMLElement & Hook).fleetwall!.map;
    return new Promise<void>((done) => {
      map.jumpTo({ center: [v.lon, v.lat], zoom: v.zoom });
      map.once('idle', () => done());
    });
  }, view);
  // Clusters and markers follow through Svelte's effects after the move.
  await page.waitForTimeout(500);
}

const drawn = (page: Page) =>
  page.locator('[data-testid=map]').evaluate((el) => ({
    clusters: Number(el.getAttribute('data-clusters')),
    plants: Number(el.getAttribute('data-plants-drawn'))
  }));

// --- CPU profiles ----------------------------------------------------------------------------
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** Self time by function (ms), top `n`, from a CDP CPU profile. */
function topSelf(prof: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, n: number) {
  const byNode = new Map<number, number>();
  prof.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000));
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of prof.nodes) {
    const ms = byNode.get(node.id) ?? 0;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split('/').pop() || '';
    const key = `${functionName || '(anonymous)'} ${file}${file ? `:${lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + ms);
  }
  return { total, top: [...byFn].sort((a, b) => b[1] - a[1]).slice(0, n) };
}

async function startProfile(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  return cdp;
}

async function stopProfile(cdp: CDPSession, name: string) {
  const { profile: prof } = await cdp.send('Profiler.stop');
  const file = join(tmpdir(), `fleetwall-${name}.cpuprofile`);
  writeFileSync(file, JSON.stringify(prof));
  const { total, top } = topSelf(prof as unknown as Parameters<typeof topSelf>[0], 18);
  console.log(`  profile ${name}: ${fmt(total, 0)} ms sampled (${file})`);
  for (const [fn, ms] of top) console.log(`    ${fmt(ms, 0).padStart(7)} ms  ${fn}`);
}

// --- the run ---------------------------------------------------------------------------------
interface Figures {
  plants: number;
  paintMs: number;
  far: PanResult & { drawn: { clusters: number; plants: number } };
  close: PanResult & { drawn: { clusters: number; plants: number } };
}

const stats = (frames: number[]) => {
  const sorted = [...frames].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), n: frames.length };
};

const browser = await launchChromium();
const results: Figures[] = [];
let sizes = '';
try {
  for (const plants of FLEETS) {
    current = syntheticSnapshot(plants);
    if (plants === 100_000) {
      const json = JSON.stringify(current);
      const plantsJson = JSON.stringify(current.plants);
      sizes =
        `  snapshot for 100k plants as the contract's JSON: ${fmt(json.length / 1048576, 2)} MiB, gzip ${fmt(gzipSync(json).length / 1048576, 2)} MiB` +
        ` (plants array ${fmt(plantsJson.length / 1048576, 2)} MiB, ${fmt(plantsJson.length / plants, 0)} B per plant); socket.io sends it uncompressed`;
    }
    const context = await browser.newContext({ viewport: VIEWPORT });
    // tsx (esbuild, keepNames) wraps the page functions' inner functions in __name(); give the
    // page one, or every evaluate with a named arrow throws.
    await context.addInitScript('globalThis.__name = (f) => f');
    const page = await context.newPage();
    const cdp = profile && plants > 0 ? await startProfile(page) : null;
    const t0 = performance.now();
    await page.goto(`${origin}/screen/bench#token=x`);
    await page.locator('[data-testid=map][data-ready=true]').waitFor({ timeout: 600_000 });
    if (plants > 0) {
      await page.waitForFunction(
        () => {
          const el = document.querySelector('[data-testid=map]');
          return Number(el?.getAttribute('data-clusters')) + Number(el?.getAttribute('data-plants-drawn')) > 0;
        },
        null,
        { timeout: 600_000, polling: 50 }
      );
    }
    const paintMs = performance.now() - t0;
    if (cdp) await stopProfile(cdp, `load-${plants}`);
    await jumpAndSettle(page, FAR);
    const farDrawn = await drawn(page);
    const pcdp = profile && plants > 0 ? await startProfile(page) : null;
    const far = await pan(page);
    if (pcdp) await stopProfile(pcdp, `pan-${plants}`);
    await jumpAndSettle(page, CLOSE);
    const closeDrawn = await drawn(page);
    const close = await pan(page);
    results.push({ plants, paintMs, far: { ...far, drawn: farDrawn }, close: { ...close, drawn: closeDrawn } });
    await context.close();
  }
} finally {
  await browser.close();
  io.close();
  http.close();
}

const base = results.find((r) => r.plants === 0);
const ratio = (v: number, b: number | undefined) => (b ? `, ${fmt(v / b, 2)}x` : '');
console.log(
  `browser: the wall in headless Chromium (SwiftShader WebGL) at ${VIEWPORT.width}x${VIEWPORT.height}; a linear easeTo pan of ${PAN_PX_PER_S} px/s, frame time = rAF interval over ${MEASURE_S} s after ${WARMUP_S} s`
);
for (const view of ['far', 'close'] as const) {
  console.log(view === 'far' ? `  fleet view (zoom ${FAR.zoom}, the whole world, clustered):` : `  close view (zoom ${CLOSE.zoom} over the densest place, every plant on its own):`);
  const b = base && stats(base[view].frames);
  for (const r of results) {
    const s = stats(r[view].frames);
    const label = r.plants === 0 ? 'empty basemap' : `${fmt(r.plants, 0)} plants`;
    console.log(
      `    ${label.padEnd(16)} median ${fmt(s.p50, 1)} ms${ratio(s.p50, b?.p50)}, p95 ${fmt(s.p95, 1)} ms${ratio(s.p95, b?.p95)}` +
        ` (${s.n} frames, ${r[view].renders} map renders; ${r[view].drawn.clusters} clusters + ${r[view].drawn.plants} plant markers drawn)`
    );
  }
}
for (const r of results) {
  console.log(
    `  first paint (navigation to data-ready and markers drawn), ${r.plants === 0 ? 'empty fleet' : `${fmt(r.plants, 0)} plants`}: ${fmt(r.paintMs / 1000, 2)} s${ratio(r.paintMs, base?.paintMs)}`
  );
}
if (sizes) console.log(sizes);
