// GET /api/v1/screens/:id/snapshot over real HTTP, read from the tenant's live room: the same
// figures its screens' sockets get, new figures after ingest, 304 while nothing changed, compressed
// when asked, never another tenant's bytes, and a room kept only for HTTP readers let go.
import { io as connect } from 'socket.io-client';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../server/contract.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { post, record, registerFleet } from '../../helpers/fleet.ts';
import { next, type ScreenSocket } from '../../helpers/socket.ts';

interface Screen {
  id: string;
  token: string;
}
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as sent (compressed when content-encoding says so). */
  raw: Buffer;
  body: string;
}

const BUCKET_MS = 5 * 60_000;
// A minute into a 5-minute bucket, so that seconds added below stay in it.
const T0 = Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS - 4 * 60_000;
let clock = T0;
let t: TestApp;
let base: string;
let batch = 0;
const sockets: ScreenSocket[] = [];

async function createScreen(tenantId: string): Promise<Screen> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: tenantId, name: 'Wall' } });
  expect(response.statusCode).toBe(201);
  return response.json() as Screen;
}

/** A real HTTP GET of a screen's snapshot, with the body left as the server sent it. */
function get(screen: Screen, headers: Record<string, string> = {}, token = screen.token): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/v1/screens/${screen.id}/snapshot`, { headers: { authorization: `Bearer ${token}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        const plain = encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
        resolve({ status: res.statusCode!, headers: res.headers, raw, body: plain.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const snapshotOf = (answer: Answer) => {
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as Snapshot;
};

async function ingest(sn: string, power_w: number, e_today_kwh: number): Promise<void> {
  const answer = await post(t.app, t.root.authorization, { batch_id: `s${batch++}`, records: [record(sn, new Date(clock - 30_000).toISOString(), e_today_kwh, { power_w })] });
  expect(answer.json()).toMatchObject({ accepted: 1, rejected: [] });
}

/** A screen socket and the snapshot it gets on connect. */
async function open(screen: Screen): Promise<[ScreenSocket, Snapshot]> {
  const socket: ScreenSocket = connect(base, { auth: { token: screen.token }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  return [socket, await next(socket, 'snapshot')];
}

beforeAll(async () => {
  t = await startTestApp({}, () => clock);
  await registerFleet(t.app, t.root.authorization);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await t.close();
});

describe('the HTTP snapshot', () => {
  it('is the snapshot the tenant’s screens get over Socket.IO, at the same instant, in every encoding', async () => {
    await ingest('AKL-1', 4000, 12.5);
    const screen = await createScreen('dist');
    const [socket, onSocket] = await open(screen);
    const plain = await get(screen);
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(snapshotOf(plain)).toEqual(onSocket);
    // Written from cached pieces, byte for byte what JSON.stringify writes.
    expect(plain.body).toBe(JSON.stringify(onSocket));
    expect(onSocket.kpi.power_w).toBe(4000);

    // New data: the next read holds it at once, and the screens get it in their next delta (at
    // their pace, one a second); then a new screen and the HTTP reader agree again.
    const delta = next(socket, 'delta');
    await ingest('HNL-1', 1500, 3);
    expect(snapshotOf(await get(screen)).kpi.power_w).toBe(5500);
    expect((await delta).kpi?.power_w).toBe(5500);
    const [, later] = await open(screen);
    for (const encoding of ['identity', 'gzip', 'br']) {
      const answer = await get(screen, { 'accept-encoding': encoding });
      expect(answer.headers['content-encoding']).toBe(encoding === 'identity' ? undefined : encoding);
      if (encoding !== 'identity') expect(answer.raw.length).toBeLessThan(Buffer.byteLength(answer.body));
      expect(snapshotOf(answer)).toEqual(later);
    }
  });

  it('shows new figures on the next request after ingest, not the bytes it served before', async () => {
    const screen = await createScreen('cust-us');
    const before = snapshotOf(await get(screen));
    await ingest('HNL-1', 2500, 4);
    const after = snapshotOf(await get(screen));
    expect(before.kpi.power_w).toBe(1500);
    expect(after.kpi.power_w).toBe(2500);
    expect(after.plants).toEqual([expect.objectContaining({ id: 'p-hnl', power_w: 2500, today_kwh: 4 })]);
  });

  it('answers 304 to a poller while the figures stand, and 200 with the new body once they change', async () => {
    const screen = await createScreen('cust-nz');
    const first = await get(screen);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');

    const again = await get(screen, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    // Time alone moves `as_of`, not the figures: still 304, while a plain read says the new instant.
    clock += 3000;
    expect((await get(screen, { 'if-none-match': etag })).status).toBe(304);
    expect(snapshotOf(await get(screen)).as_of).toBe(new Date(clock).toISOString());

    await ingest('AKL-2', 7000, 20);
    const changed = await get(screen, { 'if-none-match': etag });
    expect(changed.headers.etag).not.toBe(etag);
    expect(snapshotOf(changed).kpi.power_w).toBe(snapshotOf(first).kpi.power_w + 7000);
    expect((await get(screen, { 'if-none-match': changed.headers.etag as string })).status).toBe(304);
  });

  it('never serves one tenant’s cached body or validator to another tenant’s screen', async () => {
    const nz = await createScreen('cust-nz');
    const us = await createScreen('cust-us');
    const nzAnswer = await get(nz);
    const usAnswer = await get(us, { 'if-none-match': nzAnswer.headers.etag as string });
    expect(usAnswer.status).toBe(200);
    expect(usAnswer.headers.etag).not.toBe(nzAnswer.headers.etag);
    const snapshot = snapshotOf(usAnswer);
    expect(snapshot.tenant.id).toBe('cust-us');
    expect(snapshot.plants.map((p) => p.id)).toEqual(['p-hnl']);
    // Authorization comes first: us's token on nz's screen is a missing screen, cached body or not.
    const foreign = await get(nz, {}, us.token);
    expect(foreign.status).toBe(404);
    expect(foreign.body).not.toContain('p-akl');
    expect((await get(nz, { 'if-none-match': nzAnswer.headers.etag as string }, us.token)).status).toBe(404);
  });

  it('lets a room open only for HTTP readers go after a minute unread, and keeps a room with screens', async () => {
    const reader = await createScreen('inst');
    snapshotOf(await get(reader));
    expect(t.app.gateway.openRooms()).toContain('inst');
    clock += 50_000;
    t.app.gateway.tick();
    expect(t.app.gateway.openRooms()).toContain('inst');
    clock += 15_000;
    t.app.gateway.tick();
    expect(t.app.gateway.openRooms()).not.toContain('inst');
    // The room with the first test's screens in it stays, however long since anyone read it over HTTP.
    expect(t.app.gateway.openRooms()).toContain('dist');
    // Read again, it is built anew with the current figures.
    expect(snapshotOf(await get(reader)).as_of).toBe(new Date(clock).toISOString());
    expect(t.app.gateway.openRooms()).toContain('inst');
  });
});
