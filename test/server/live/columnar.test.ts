// The columnar encoding over real Socket.IO connections: a screen that asks for it gets the same
// snapshot and deltas with the plants as binary columns; a screen that does not still gets the
// contract's JSON; a bad encoding is refused with a message naming the field.
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlantPoint } from '../../../server/contract.ts';
import { decodePlants, encodePlants } from '../../../server/live/columnar.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { post, record, registerFleet } from '../../helpers/fleet.ts';
import { next, type ScreenSocket } from '../../helpers/socket.ts';

let t: TestApp;
let url: string;
let token: string;
const sockets: ScreenSocket[] = [];

function open(auth: Record<string, unknown>): ScreenSocket {
  const socket: ScreenSocket = connect(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  return socket;
}

/** What the JSON plants look like after the trip through Float32 columns. */
const atColumnPrecision = (p: PlantPoint): PlantPoint => ({
  ...p,
  power_w: Math.fround(p.power_w),
  today_kwh: Math.fround(p.today_kwh),
  capacity_kw: Math.fround(p.capacity_kw)
});

beforeAll(async () => {
  t = await startTestApp();
  await registerFleet(t.app, t.root.authorization);
  const screen = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Wall' } });
  expect(screen.statusCode).toBe(201);
  token = (screen.json() as { token: string }).token;
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await t.close();
});

describe('columnar plants', () => {
  it('round-trips ids, names and coordinates exactly, figures at Float32 precision', () => {
    const plants: PlantPoint[] = [
      { id: 'p-1', name: 'Zürich Dach ☀', lat: 47.376887, lon: 8.541694, status: 'fault', power_w: 12345.6, today_kwh: 98.765, capacity_kw: 30.5 },
      { id: '', name: '', lat: -33.9, lon: 151.2, status: 'offline', power_w: 0, today_kwh: 0, capacity_kw: 0 },
      { id: '东-2', name: 'Plant "two"', lat: 0, lon: -179.999999, status: 'protect', power_w: 2.5e8, today_kwh: 1.25e6, capacity_kw: 250_000 }
    ];
    expect(decodePlants(encodePlants(plants))).toEqual(plants.map(atColumnPrecision));
  });
});

describe('screen sockets with the columnar encoding', () => {
  it('sends the same snapshot as the JSON socket, with the plants as binary columns', async () => {
    const plain = open({ token });
    const columnar = open({ token, encoding: 'columnar' });
    const plainColumnar: unknown[] = [];
    plain.on('snapshot:columnar', (s) => plainColumnar.push(s));
    const json = await next(plain, 'snapshot');
    const packed = await next(columnar, 'snapshot:columnar');

    // The plain client keeps the contract: plants as an array of objects.
    expect(Array.isArray(json.plants)).toBe(true);
    expect(json.plants.map((p) => p.id).sort()).toEqual(['p-akl', 'p-hnl']);
    expect(plainColumnar).toEqual([]);

    expect(Buffer.isBuffer(packed.plants.lat)).toBe(true);
    const { plants, ...rest } = packed;
    const { plants: jsonPlants, ...jsonRest } = json;
    expect(rest).toEqual(jsonRest);
    expect(decodePlants(plants)).toEqual(jsonPlants.map(atColumnPrecision));
  });

  it('sends deltas as columns of the changed plants, decoding to the JSON delta', async () => {
    const plain = open({ token });
    const columnar = open({ token, encoding: 'columnar' });
    await Promise.all([next(plain, 'snapshot'), next(columnar, 'snapshot:columnar')]);
    const plainDelta = next(plain, 'delta');
    const columnarDelta = next(columnar, 'delta:columnar');
    const answer = await post(t.app, t.root.authorization, {
      records: [record('HNL-1', new Date(Date.now() - 60_000).toISOString(), 12.345, { power_w: 4321, status: 'fault' })]
    });
    expect(answer.json()).toMatchObject({ accepted: 1 });
    const [json, packed] = await Promise.all([plainDelta, columnarDelta]);
    expect(json.plants?.map((p) => p.id)).toEqual(['p-hnl']);
    expect(json.plants?.[0]).toMatchObject({ status: 'fault', power_w: 4321 });
    const { plants, ...rest } = packed;
    const { plants: jsonPlants, ...jsonRest } = json;
    expect(rest).toEqual(jsonRest);
    expect(decodePlants(plants!)).toEqual(jsonPlants!.map(atColumnPrecision));
  });

  it('refuses an encoding it does not know, naming the field', async () => {
    const socket = open({ token, encoding: 'protobuf' });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toMatch(/auth\.encoding/);
  });
});
