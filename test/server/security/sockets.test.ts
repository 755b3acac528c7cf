// Socket abuse: malformed packets, frames over the limit, unknown events, floods and a foreign
// Origin. The process stays up with bounded memory, and a good screen connected alongside keeps
// receiving its deltas.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ClientToServerEvents, Delta, ServerToClientEvents, Snapshot } from '../../../server/contract.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { post, record, registerFleet } from '../../helpers/fleet.ts';

let t: TestApp;
let base: string;
let token: string;
let good: Socket<ServerToClientEvents, ClientToServerEvents>;
const deltas: Delta[] = [];

beforeAll(async () => {
  t = await startTestApp();
  await registerFleet(t.app, t.root.authorization);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  token = (await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Good' } })).json().token;
  good = connect(base, { auth: { token }, transports: ['websocket'], reconnection: false });
  await new Promise<Snapshot>((resolve) => good.once('snapshot', resolve));
  good.on('delta', (d) => deltas.push(d));
});
afterAll(async () => {
  good?.close();
  await t.close();
});

const wsUrl = () => `${base.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;

/** A raw engine.io websocket: opens, sends what it is given, resolves with how it ended. */
function raw(frames: (string | Buffer)[], headers: Record<string, string> = {}): Promise<{ code: number | null; status: number | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl(), { headers });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ code: null, status: null });
    }, 5_000);
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      resolve({ code: null, status: res.statusCode ?? null });
      ws.terminate();
    });
    ws.on('open', () => {
      for (const frame of frames) ws.send(frame);
    });
    ws.on('error', () => {});
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, status: 101 });
    });
  });
}

async function deltaAfterIngest(kwh: number): Promise<Delta> {
  const seen = deltas.length;
  const answer = await post(t.app, t.root.authorization, { records: [record('AKL-1', new Date(Date.now() - 30_000).toISOString(), kwh, { power_w: kwh * 10 })] });
  expect(answer.json()).toMatchObject({ accepted: 1 });
  for (let i = 0; i < 100 && !deltas.slice(seen).some((d) => d.kpi); i++) await new Promise((r) => setTimeout(r, 100));
  const delta = deltas.slice(seen).find((d) => d.kpi);
  expect(delta, 'a delta with new figures').toBeDefined();
  return delta!;
}

describe('socket abuse', () => {
  it('closes connections that send malformed packets or frames over the limit', async () => {
    const malformed = ['hello', '4{not json', '42["x"', '4' + '['.repeat(10_000), '40{"token":', Buffer.from([0xff, 0x00, 0xfe])];
    const ends = await Promise.all(malformed.map((g) => raw([g])));
    for (const [i, end] of ends.entries()) expect(end.code, `malformed frame ${i} closes the connection`).not.toBeNull();
    // Well-formed but meaningless packets change nothing (the handshake timeout ends them).
    await Promise.all(['0{"sid":"forged"}', '2probe', '6', '41', '43[1]'].map((g) => raw([g])));
    // Over the 64 kB frame limit: closed as too big.
    expect((await raw(['4' + 'x'.repeat(200 * 1024)])).code).toBe(1009);
    expect(good.connected).toBe(true);
    expect((await deltaAfterIngest(11)).kpi?.today_kwh).toBeGreaterThan(0);
  });

  it('refuses a handshake from another site\'s page, with or without a token', async () => {
    const refused = (await raw([], { origin: 'https://evil.example' })).status;
    expect(refused).toBeGreaterThanOrEqual(400);
    expect(refused).toBeLessThan(500);
    const foreign = connect(base, { auth: { token }, transports: ['polling'], reconnection: false, extraHeaders: { origin: 'https://evil.example' } });
    const outcome = await new Promise<string>((resolve) => {
      foreign.once('snapshot', () => resolve('snapshot'));
      foreign.once('connect_error', (e) => resolve(`refused: ${e.message}`));
    });
    foreign.close();
    expect(outcome).toMatch(/^refused/);
    // Our own page's origin is welcome.
    const own = connect(base, { auth: { token }, transports: ['polling'], reconnection: false, extraHeaders: { origin: base } });
    await new Promise((resolve) => own.once('snapshot', resolve));
    own.close();
  });

  it('stays up with bounded memory through floods of events and connections, and the good screen keeps its deltas', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    // An authenticated screen sends what no screen should: unknown events, many and large.
    const noisy = connect(base, { auth: { token }, transports: ['websocket'], reconnection: false });
    await new Promise((resolve) => noisy.once('snapshot', resolve));
    const loose = noisy as unknown as { emit(event: string, ...args: unknown[]): void };
    for (let i = 0; i < 5_000; i++) loose.emit(i % 2 ? 'join' : '__proto__', { room: 'scope:cust-us', i, pad: 'x'.repeat(1000) });
    loose.emit('snapshot', 'y'.repeat(100 * 1024));
    const dropped = await new Promise<string>((resolve) => noisy.once('disconnect', resolve));
    expect(dropped).toBe('transport close');
    // Handshakes that never authenticate, 200 at once.
    const flood = await Promise.all(Array.from({ length: 200 }, () => raw(['40{"token":"nope"}', '42["snapshot"]'.repeat(1)])));
    expect(flood.every((f) => f.status === 101)).toBe(true);
    const bad = connect(base, { auth: { token: 'not-a-token' }, transports: ['websocket'], reconnection: false });
    expect(await new Promise<string>((resolve) => bad.once('connect_error', (e) => resolve(e.message)))).toBe('unauthorized');
    bad.close();
    global.gc?.();
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
    expect(good.connected).toBe(true);
    expect((await deltaAfterIngest(22)).kpi?.today_kwh).toBeGreaterThan(0);
    const health = await fetch(`${base}/api/v1/health`);
    expect(health.status).toBe(200);
  });
});
