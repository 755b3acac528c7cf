// From `npm start` (the built app) on an empty store to the first wall paint in Chromium, and the
// server's memory once the demo's history is in, against the floor of the embedded engine alone
// (a process that opens an empty store and runs SELECT 1), in the same run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SERVER_NODE_FLAGS } from '../test/helpers/serverFlags.ts';
import { launchChromium } from '../test/helpers/browser.ts';
import { fmt } from './lib.ts';

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function engineFloor(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetwall-floor-'));
  const script = `
    import { createStore } from './server/db/store.ts';
    const store = createStore({ dataDir: ${JSON.stringify(dir)}, clickhouse: null });
    await store.query({ query: 'SELECT 1' });
    console.log(Number(/VmRSS:\\s+(\\d+)/.exec((await import('node:fs')).readFileSync('/proc/self/status', 'utf8'))[1]) / 1024);
    await store.close();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((resolve) => child.on('exit', resolve));
  return Number(out.trim());
}

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
const dataDir = mkdtempSync(join(tmpdir(), 'fleetwall-start-'));
const start = performance.now();
const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts'], {
  env: { ...process.env, FLEETWALL_DATA: dataDir, PORT: '0', HOST: '127.0.0.1' },
  stdio: ['ignore', 'pipe', 'inherit']
});
const lines = createInterface({ input: server.stdout });
let listening = 0;
let historyDone: () => void;
const history = new Promise<void>((resolve) => (historyDone = resolve));
const url = await new Promise<string>((resolve) => {
  lines.on('line', (line) => {
    if (!listening && line.includes('Fleetwall is running')) listening = performance.now() - start;
    const demo = /Demo screen: (\S+)/.exec(line);
    if (demo) resolve(demo[1]);
    if (line.includes('demo: history complete')) historyDone();
  });
});
const urlAt = performance.now() - start;
await page.goto(url);
await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 120_000 });
await page.locator('[data-testid=map][data-ready=true]').waitFor({ timeout: 120_000 });
const paint = performance.now() - start;
const rssAtPaint = rssMiB(server.pid!);
await browser.close();
await Promise.race([history, new Promise((r) => setTimeout(r, 300_000))]);
const historyAt = performance.now() - start;
const rss = rssMiB(server.pid!);
const stopAt = performance.now();
server.kill('SIGTERM');
await new Promise((resolve) => server.on('exit', resolve));
const stopped = performance.now() - stopAt;
const floor = await engineFloor();

console.log('startup: npm start on an empty store, demo fleet (150 plants, 419 devices)');
console.log(`  listening ${fmt(listening / 1000, 2)} s, screen URL printed ${fmt(urlAt / 1000, 2)} s, first wall paint (live, map drawn) ${fmt(paint / 1000, 2)} s`);
console.log(`  5-year history in after ${fmt(historyAt / 1000, 1)} s; graceful stop (SIGTERM) took ${fmt(stopped / 1000, 2)} s`);
console.log(`  server RSS: ${fmt(rssAtPaint, 0)} MiB at first paint, ${fmt(rss, 0)} MiB with history in; embedded engine alone ${fmt(floor, 0)} MiB (ratio ${fmt(rss / floor, 2)})`);
