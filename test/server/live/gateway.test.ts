// Screens over real Socket.IO connections: snapshot on connect, a delta after ingest, nothing
// for another tenant's screen, a fresh snapshot on reconnect, and no entry without a token.
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta, Snapshot } from '../../../server/contract.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { post, record, registerFleet } from '../../helpers/fleet.ts';
import { next, type ScreenSocket } from '../../helpers/socket.ts';

let t: TestApp;
let url: string;
const sockets: ScreenSocket[] = [];

async function createScreen(tenantId: string): Promise<string> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: tenantId, name: 'Wall' } });
  expect(response.statusCode).toBe(201);
  return (response.json() as { token: string }).token;
}

/** Opens a screen socket; its first snapshot is caught from the start, whenever it comes. */
function open(token: string): ScreenSocket & { firstSnapshot: Promise<Snapshot> } {
  const socket: ScreenSocket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  return Object.assign(socket, { firstSnapshot: next(socket, 'snapshot') });
}

beforeAll(async () => {
  t = await startTestApp();
  await registerFleet(t.app, t.root.authorization);
  const other = await t.app.inject({
    method: 'POST',
    url: '/api/v1/registry',
    headers: t.root,
    payload: {
      tenants: [{ id: 'rival', name: 'Rival Solar', parent_id: null, kind: 'distributor' }],
      plants: [{ id: 'p-rival', tenant_id: 'rival', name: 'Rival PV', lat: 48.1, lon: 11.6, timezone: 'Europe/Berlin', capacity_kw: 10 }],
      devices: [{ sn: 'RIV-1', plant_id: 'p-rival', kind: 'inverter', rated_power_w: 10000 }]
    }
  });
  expect(other.statusCode).toBe(200);
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = address;
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await t.close();
});

describe('screen sockets', () => {
  it('refuses a connection without a valid screen token', async () => {
    for (const token of ['', 'not-a-token', t.root.authorization.slice(7)]) {
      const socket = open(token);
      socket.firstSnapshot.catch(() => {});
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      expect(error.message).toBe('unauthorized');
    }
  });

  it('sends a snapshot on connect and a delta after ingest, to the right screens only', async () => {
    const mine = open(await createScreen('dist'));
    const theirs = open(await createScreen('rival'));
    const [snapshot, rivalSnapshot] = await Promise.all([mine.firstSnapshot, theirs.firstSnapshot]);
    expect(snapshot.tenant.id).toBe('dist');
    expect(snapshot.plants.map((p) => p.id).sort()).toEqual(['p-akl', 'p-hnl']);
    expect(rivalSnapshot.plants.map((p) => p.id)).toEqual(['p-rival']);

    const rivalDeltas: Delta[] = [];
    theirs.on('delta', (d) => rivalDeltas.push(d));
    const delta = next(mine, 'delta');
    const now = Date.now();
    const answer = await post(t.app, t.root.authorization, { records: [record('HNL-1', new Date(now - 60_000).toISOString(), 12, { power_w: 4321 })] });
    expect(answer.json()).toMatchObject({ accepted: 1 });
    const received = await delta;
    expect(received.kpi?.power_w).toBe(4321);
    expect(received.status).toMatchObject({ all: 5, normal: 1, offline: 4 });
    expect(received.plants?.map((p) => p.id)).toEqual(['p-hnl']);
    expect(received.plants?.[0]).toMatchObject({ status: 'normal', power_w: 4321 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(rivalDeltas.filter((d) => d.kpi || d.plants || d.status || d.series)).toEqual([]);
  });

  it('coalesces a burst of batches into at most one delta per second', async () => {
    const socket = open(await createScreen('dist'));
    await socket.firstSnapshot;
    const deltas: number[] = [];
    socket.on('delta', () => deltas.push(Date.now()));
    const start = Date.now();
    for (let i = 0; i < 20; i++) {
      await post(t.app, t.root.authorization, { records: [record('AKL-1', new Date(Date.now() - 1000).toISOString(), 1 + i, { power_w: 100 + i })] });
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1200));
    const seconds = (Date.now() - start) / 1000;
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    for (let i = 1; i < deltas.length; i++) expect(deltas[i] - deltas[i - 1]).toBeGreaterThan(800);
  });

  it('gives a reconnecting screen a fresh snapshot', async () => {
    const token = await createScreen('dist');
    const first = open(token);
    const before = await first.firstSnapshot;
    first.disconnect();
    await post(t.app, t.root.authorization, { records: [record('AKL-2', new Date(Date.now() - 1000).toISOString(), 50, { power_w: 7777 })] });
    // Rooms refresh once a second; a snapshot is at most that old.
    await new Promise((r) => setTimeout(r, 1200));
    const again = open(token);
    const after = await again.firstSnapshot;
    expect(after.kpi.today_kwh).toBeGreaterThan(before.kpi.today_kwh);
    expect(after.plants.find((p) => p.id === 'p-akl')?.power_w).toBeGreaterThanOrEqual(7777);
  });
});
