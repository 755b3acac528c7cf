// The wall in headless Chromium (software WebGL, 1920x1080): frame time with 100k and 1M plants
// against the empty basemap, time to first paint, the size of the 100k-plant snapshot on the
// display's socket (columnar) against the contract's JSON, and the cost of a delta touching 1% of
// the plants against a whole new snapshot. No database: build/ is served by a throwaway static server in this process,
// with a Socket.IO server on the same port that lets any token in and sends a synthetic snapshot.
//
//   node --import tsx bench/browser.ts [--profile] [--no-pan] [--fleets 0,100000,1000000]
//   --profile: CPU profiles of the load, the pan and each delta (top functions printed, files in /tmp)
//   --no-pan: first paint and deltas only
//   FLEETWALL_BUILD_DIR=/tmp/x/build ...   serve another build (someone else may be rebuilding build/)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { CDPSession, Page } from 'playwright-core';
import type { ClientToServerEvents, ColumnarSnapshot, ServerToClientEvents, Snapshot } from '../server/contract.ts';
import { encodeDelta, encodeSnapshot } from '../server/live/columnar.ts';
import { DEFAULT_SCREEN_SETTINGS } from '../server/auth/credentials.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { fmt, percentile } from './lib.ts';
import { syntheticSnapshot } from './wall-fleet.ts';

const args = process.argv.slice(2);
const profile = args.includes('--profile');
const panning = !args.includes('--no-pan');
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
let current: { json: Snapshot; columnar: ColumnarSnapshot } | null = null;
/** Bytes of the frames each socket was sent, by event. */
const wire = new Map<string, Map<string, number>>();
let lastSocket: import('socket.io').Socket<ClientToServerEvents, ServerToClientEvents> | null = null;
io.on('connection', (socket) => {
  lastSocket = socket;
  // Engine.io packets as they go out: the event's JSON text frame and its binary attachments.
  let event = '';
  const sent = new Map<string, number>();
  wire.set(socket.id, sent);
  socket.conn.on('packetCreate', (packet: { type: string; data?: unknown }) => {
    if (packet.type !== 'message') return;
    const data = packet.data;
    // "2[\"name\",..." for an event, "51-[\"name\",..." for one with a binary attachment.
    if (typeof data === 'string') event = /^\d+-?\["([^"]+)"/.exec(data)?.[1] ?? event;
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : ArrayBuffer.isView(data) || data instanceof ArrayBuffer ? data.byteLength : 0;
    sent.set(event, (sent.get(event) ?? 0) + bytes);
  });
  socket.emit('screen', { id: 'bench', name: 'Bench wall', settings: DEFAULT_SCREEN_SETTINGS });
  if (!current) return;
  // The display asks for columns; anything else gets the contract's JSON.
  if ((socket.handshake.auth as { encoding?: string }).encoding === 'columnar') socket.emit('snapshot:columnar', current.columnar);
  else socket.emit('snapshot', current.json);
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
  delta?: { first: ApplyCost; delta: ApplyCost; snapshot: ApplyCost; changed: number };
  far: PanResult & { drawn: { clusters: number; plants: number } };
  close: PanResult & { drawn: { clusters: number; plants: number } };
}

const stats = (frames: number[]) => {
  const sorted = [...frames].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), n: frames.length };
};

// --- the snapshot on the wire ------------------------------------------------------------------
/** Bytes socket.io sends for the snapshot to a plain client and to one asking for columns. */
async function snapshotSizes(snapshot: Snapshot, plants: number): Promise<string> {
  const { io: connect } = await import('socket.io-client');
  const bytes = async (auth: Record<string, string>, event: 'snapshot' | 'snapshot:columnar') => {
    const client = connect(origin, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((done) => client.once(event, () => done()));
    const sent = wire.get(client.id!)?.get(event) ?? 0;
    client.disconnect();
    return sent;
  };
  const json = await bytes({ token: 'x' }, 'snapshot');
  const columnar = await bytes({ token: 'x', encoding: 'columnar' }, 'snapshot:columnar');
  const gzip = gzipSync(JSON.stringify(snapshot)).length;
  const mib = (b: number) => `${fmt(b / 1048576, 2)} MiB`;
  return (
    `  snapshot for ${fmt(plants, 0)} plants on the socket (bytes of socket.io's frames): contract's JSON ${mib(json)} (${fmt(json / plants, 0)} B per plant), 1x;` +
    ` columnar (the display's) ${mib(columnar)} (${fmt(columnar / plants, 0)} B per plant), ${fmt(columnar / json, 2)}x; for scale, the JSON gzipped ${mib(gzip)} (socket.io sends it uncompressed)`
  );
}

// --- a 1% delta against a whole snapshot ----------------------------------------------------
interface ApplyCost {
  /** Main-thread task time of the page (CDP TaskDuration) from the emit until the page is idle again. */
  mainMs: number;
  /** deck.gl: marker rows re-read, and full or partial updates of the plants layer. */
  rows: number;
  full: number;
  partial: number;
}

/** Every hundredth plant changes status (normal <-> fault) and power: what 1% of a fleet does. */
function onePercent(snapshot: Snapshot, asOf: string): { delta: import('../server/contract.ts').Delta; next: Snapshot } {
  const plants = snapshot.plants.slice();
  const changed = [];
  for (let i = 0; i < plants.length; i += 100) {
    const p = plants[i];
    plants[i] = { ...p, status: p.status === 'fault' ? 'normal' : 'fault', power_w: p.status === 'fault' ? 1000 : 0 };
    changed.push(plants[i]);
  }
  return { delta: { as_of: asOf, plants: changed }, next: { ...snapshot, as_of: asOf, plants } };
}

async function applyCost(page: Page, cdp: CDPSession, asOf: string, send: () => void, name: string): Promise<ApplyCost> {
  type Hook = { fleetwall?: { markerUploads: { full: number; partial: number; rows: number } } };
  const uploads = () => page.evaluate(() => ({ ...(document.querySelector('[data-testid=map]') as HTMLElement & Hook).fleetwall!.markerUploads }));
  const taskMs = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return 1000 * (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0);
  };
  await page.waitForTimeout(1000);
  const before = { ...(await uploads()), task: await taskMs() };
  const pcdp = profile ? await startProfile(page) : null;
  send();
  await page.locator(`[data-testid=wall][data-as-of="${asOf}"]`).waitFor({ timeout: 600_000 });
  // Until the main thread is quiet again: the clustering worker answers, clusters and markers are redrawn.
  let last = await taskMs();
  for (;;) {
    await page.waitForTimeout(700);
    const now = await taskMs();
    if (now - last < 60) break;
    last = now;
  }
  const after = await uploads();
  if (pcdp) await stopProfile(pcdp, name);
  return { mainMs: last - before.task, rows: after.rows - before.rows, full: after.full - before.full, partial: after.partial - before.partial };
}

const browser = await launchChromium();
const results: Figures[] = [];
let sizes = '';
try {
  for (const plants of FLEETS) {
    const snapshot = syntheticSnapshot(plants);
    current = { json: snapshot, columnar: encodeSnapshot(snapshot) };
    if (plants === 100_000) sizes = await snapshotSizes(snapshot, plants);
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
    const pcdp = profile && panning && plants > 0 ? await startProfile(page) : null;
    const far = panning ? await pan(page) : { frames: [], renders: 0 };
    if (pcdp) await stopProfile(pcdp, `pan-${plants}`);
    await jumpAndSettle(page, CLOSE);
    const closeDrawn = await drawn(page);
    const close = panning ? await pan(page) : { frames: [], renders: 0 };
    let delta: Figures['delta'];
    if (plants > 0) {
      const metrics = await page.context().newCDPSession(page);
      await metrics.send('Performance.enable');
      const socket = lastSocket!;
      // The first delta also builds the page's id -> row index (once per snapshot); the second is the steady state.
      const first = onePercent(snapshot, '2026-06-01T10:00:05.000Z');
      const firstCost = await applyCost(page, metrics, first.delta.as_of, () => socket.emit('delta:columnar', encodeDelta(first.delta)), `first-delta-${plants}`);
      const second = onePercent(first.next, '2026-06-01T10:00:10.000Z');
      const deltaCost = await applyCost(page, metrics, second.delta.as_of, () => socket.emit('delta:columnar', encodeDelta(second.delta)), `delta-${plants}`);
      const third = onePercent(second.next, '2026-06-01T10:00:15.000Z');
      const snapshotCost = await applyCost(page, metrics, third.next.as_of, () => socket.emit('snapshot:columnar', encodeSnapshot(third.next)), `snapshot-${plants}`);
      delta = { first: firstCost, delta: deltaCost, snapshot: snapshotCost, changed: first.delta.plants!.length };
      await metrics.detach();
    }

    results.push({ plants, paintMs, delta, far: { ...far, drawn: farDrawn }, close: { ...close, drawn: closeDrawn } });
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
for (const view of panning ? (['far', 'close'] as const) : []) {
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
for (const r of results) {
  if (!r.delta) continue;
  const { first, delta: d, snapshot: f, changed } = r.delta;
  const line = (c: ApplyCost) => `${fmt(c.mainMs, 0)} ms of the page's main thread, ${fmt(c.rows, 0)} marker rows re-read (${c.full} full / ${c.partial} partial plants-layer updates)`;
  console.log(`  ${fmt(r.plants, 0)} plants, ${fmt(changed, 0)} changed (1%), at the close view (after its pan):`);
  console.log(`    first delta (builds the id index): ${line(first)}; ${fmt(first.mainMs / f.mainMs, 2)}x`);
  console.log(`    next delta: ${line(d)}; ${fmt(d.mainMs / f.mainMs, 2)}x`);
  console.log(`    as a whole snapshot: ${line(f)}; 1x`);
}
if (sizes) console.log(sizes);
