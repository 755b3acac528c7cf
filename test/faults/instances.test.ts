// Several instances (REDIS_URL): two Fleetwall processes on one ClickHouse server (the stand-in)
// and one real Redis, behind a small load balancer. A batch stored by one instance reaches the
// screens of the other, counted once however often it is sent and wherever; a screen whose
// instance is killed reconnects to the other and shows current figures; a Redis restart loses
// nothing acknowledged and the instances agree afterwards. What one instance writes to the
// registry and the screens holds on the other.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect, createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, RESP_TYPES } from 'redis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents, Snapshot } from '../../server/contract.ts';
import { startClickHouseStandIn, type ClickHouseStandIn } from '../helpers/clickhouseStandIn.ts';
import { fleet, record } from '../helpers/fleet.ts';
import { STREAM_KEY } from '../../server/live/fleetStream.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';
import { api, root, startServer, type ServerProcess } from './serverProcess.ts';

type Kpi = Snapshot['kpi'];

let standIn: ClickHouseStandIn;
let redis: RedisServer;
let env: Record<string, string>;
const dirs = [mkdtempSync(join(tmpdir(), 'fleetwall-a-')), mkdtempSync(join(tmpdir(), 'fleetwall-b-'))];
let a: ServerProcess;
let b: ServerProcess;
let screen: { id: string; token: string };
let balancer: Server;
const screens: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
let onB: ReturnType<typeof openScreen>;

/** A wall screen over Socket.IO, keeping the figures its snapshot and deltas show. */
function openScreen(port: number) {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(`http://127.0.0.1:${port}`, {
    auth: { token: screen.token },
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 200,
    reconnectionDelayMax: 500
  });
  screens.push(socket);
  const shown = { socket, kpi: null as Kpi | null, snapshots: 0, restarting: 0 };
  socket.on('server-restarting', () => shown.restarting++);
  socket.on('snapshot', (snapshot) => {
    shown.kpi = snapshot.kpi;
    shown.snapshots++;
  });
  socket.on('delta', (delta) => {
    if (delta.kpi && shown.kpi) shown.kpi = { ...shown.kpi, ...delta.kpi };
  });
  return shown;
}

/** The figures an instance's snapshot shows now. */
async function kpiOf(server: ServerProcess): Promise<Kpi> {
  const answer = await fetch(`${server.base}/api/v1/screens/${screen.id}/snapshot`, { headers: { authorization: `Bearer ${screen.token}` } });
  expect(answer.status).toBe(200);
  return ((await answer.json()) as Snapshot).kpi;
}

/** Each batch's time, so that a retry resends the same records. */
const sentAt = new Map<string, string>();

async function postBatch(server: ServerProcess, batchId: string, energies: Record<string, number>) {
  const ts = sentAt.get(batchId) ?? new Date().toISOString();
  sentAt.set(batchId, ts);
  const answer = await api(server.base, 'POST', '/api/v1/telemetry', { batch_id: batchId, records: Object.entries(energies).map(([sn, kwh]) => record(sn, ts, kwh)) });
  expect(answer.status).toBe(200);
  return (await answer.json()) as { accepted: number; duplicate: boolean; rejected: unknown[] };
}

/** A TCP load balancer: each connection goes to the first instance that takes it. */
async function startBalancer(ports: () => number[]): Promise<number> {
  balancer = createServer((client) => {
    const tryAt = (i: number) => {
      const targets = ports();
      if (i >= targets.length) return client.destroy();
      const upstream: TcpSocket = tcpConnect(targets[i], '127.0.0.1');
      upstream.once('error', () => tryAt(i + 1));
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
      });
    };
    tryAt(0);
  });
  await new Promise<void>((resolve) => balancer.listen(0, '127.0.0.1', resolve));
  return (balancer.address() as { port: number }).port;
}

beforeAll(async () => {
  [standIn, redis] = await Promise.all([startClickHouseStandIn(), startRedis()]);
  env = { ...standIn.env, REDIS_URL: redis.url };
  a = await startServer(dirs[0], 0, env);
  expect((await api(a.base, 'POST', '/api/v1/registry', fleet)).status).toBe(200);
  screen = (await (await api(a.base, 'POST', '/api/v1/screens', { tenant_id: 'dist', name: 'Lobby' })).json()) as { id: string; token: string };
  b = await startServer(dirs[1], 0, env);
}, 180_000);

afterAll(async () => {
  for (const socket of screens) socket.close();
  balancer?.close();
  for (const server of [a, b]) if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  await Promise.all([a?.exited, b?.exited]);
  await redis?.close();
  await standIn?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('two instances sharing Redis', () => {
  it('shows a batch stored by one instance on the screens of the other, counted once wherever it is retried', { timeout: 60_000 }, async () => {
    onB = openScreen(b.port);
    await expect.poll(() => onB.kpi?.today_kwh, { timeout: 10_000 }).toBe(0);

    expect(await postBatch(a, 'first', { 'AKL-1': 10, 'HNL-1': 5 })).toMatchObject({ accepted: 2, duplicate: false });
    const postedAt = Date.now();
    await expect.poll(() => onB.kpi?.today_kwh, { timeout: 3_000, interval: 50 }).toBeCloseTo(15, 6);
    expect(Date.now() - postedAt).toBeLessThan(3_000);

    // The same batch again, to the other instance: stored once, counted once on both.
    expect(await postBatch(b, 'first', { 'AKL-1': 10, 'HNL-1': 5 })).toMatchObject({ duplicate: true });
    // A new batch to B, then its retry to A.
    expect(await postBatch(b, 'second', { 'AKL-1': 12, 'AKL-2': 3 })).toMatchObject({ duplicate: false });
    await expect.poll(async () => (await kpiOf(a)).today_kwh, { timeout: 3_000, interval: 50 }).toBeCloseTo(20, 6);
    expect(await postBatch(a, 'second', { 'AKL-1': 12, 'AKL-2': 3 })).toMatchObject({ duplicate: true });
    // Every batch so far read a second time by both instances, as after a restart that reads the
    // stream again: nothing is counted twice.
    const client = createClient({ url: redis.url }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    await client.connect();
    const entries = (await client.xRange(STREAM_KEY, '-', '+')) ?? [];
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const { message } of entries) await client.xAdd(STREAM_KEY, '*', { ...message, i: 'an-instance-replaying' });
    await client.close();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await kpiOf(a)).today_kwh).toBeCloseTo(20, 6);
    expect((await kpiOf(b)).today_kwh).toBeCloseTo(20, 6);
    expect(onB.kpi!.today_kwh).toBeCloseTo(20, 6);
  });

  it('shares what one instance writes to the registry and the screens with the other', { timeout: 60_000 }, async () => {
    // A device registered through A is taken by B's ingest.
    expect((await api(a.base, 'PUT', '/api/v1/devices/AKL-5', { plant_id: 'p-akl', kind: 'inverter', rated_power_w: 5000 })).status).toBe(200);
    // A screen made through B opens on A.
    const made = (await (await api(b.base, 'POST', '/api/v1/screens', { tenant_id: 'cust-nz', name: 'Farm office' })).json()) as { id: string; token: string };
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await postBatch(b, 'new-device', { 'AKL-5': 2 })).toMatchObject({ accepted: 1, rejected: [] });
    const wall = (port: number) => connect(`http://127.0.0.1:${port}`, { auth: { token: made.token }, transports: ['websocket'], forceNew: true, reconnection: false });
    const onA = wall(a.port);
    screens.push(onA);
    const snapshot = await new Promise<Snapshot>((resolve, reject) => {
      onA.once('snapshot', resolve);
      onA.once('connect_error', reject);
    });
    expect(snapshot.tenant.id).toBe('cust-nz');
    await expect.poll(async () => (await kpiOf(a)).today_kwh, { timeout: 3_000, interval: 50 }).toBeCloseTo(22, 6);

    // Revoked through B: the screen on A is told and disconnected, and A refuses it from then on.
    const told = new Promise((resolve) => onA.once('revoked', resolve));
    const gone = new Promise((resolve) => onA.once('disconnect', resolve));
    expect((await fetch(`${b.base}/api/v1/admin/screens/${made.id}`, { method: 'DELETE', headers: root })).status).toBe(204);
    await told;
    await gone;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = wall(a.port);
    screens.push(again);
    expect(await new Promise<string>((resolve) => again.once('connect_error', (error) => resolve(error.message)))).toBe('revoked');
  });

  it('moves a screen of a killed instance to the other one, with current figures', { timeout: 60_000 }, async () => {
    const port = await startBalancer(() => [a.port, b.port]);
    const viaBalancer = openScreen(port);
    await expect.poll(() => viaBalancer.kpi?.today_kwh, { timeout: 10_000 }).toBeCloseTo(22, 6);
    // Acknowledged by A, which dies at once.
    await postBatch(a, 'last-on-a', { 'AKL-3': 4 });
    a.child.kill('SIGKILL');
    await a.exited;
    await expect.poll(() => viaBalancer.snapshots, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => viaBalancer.kpi?.today_kwh, { timeout: 5_000 }).toBeCloseTo(26, 6);
    // And it follows what B is sent now.
    await postBatch(b, 'after-kill', { 'AKL-4': 1 });
    await expect.poll(() => viaBalancer.kpi?.today_kwh, { timeout: 3_000, interval: 50 }).toBeCloseTo(27, 6);
  });

  it('loses nothing acknowledged over a Redis restart, and the instances agree afterwards', { timeout: 120_000 }, async () => {
    a = await startServer(dirs[0], 0, env);
    expect((await kpiOf(a)).today_kwh).toBeCloseTo(27, 6);
    const reached: Record<string, number> = { 'AKL-1': 12, 'AKL-2': 3, 'AKL-3': 4, 'AKL-4': 1, 'AKL-5': 2, 'HNL-1': 5 };
    const sns = Object.keys(reached);
    let round = 0;
    let restarting = true;
    const restart = redis.restart().finally(() => (restarting = false));
    // Ingest to both instances throughout, while Redis goes away and comes back.
    while (restarting || round < 20) {
      const sn = sns[round % sns.length];
      reached[sn] += 1;
      await postBatch(round % 2 === 0 ? a : b, `redis-${round}`, { [sn]: reached[sn] });
      round++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await restart;
    const expected = Object.values(reached).reduce((x, y) => x + y, 0);
    await expect.poll(async () => (await kpiOf(a)).today_kwh, { timeout: 20_000, interval: 200 }).toBeCloseTo(expected, 6);
    await expect.poll(async () => (await kpiOf(b)).today_kwh, { timeout: 20_000, interval: 200 }).toBeCloseTo(expected, 6);
    // And they go on together after it.
    await postBatch(b, 'after-redis', { 'HNL-1': reached['HNL-1'] + 2 });
    await expect.poll(async () => (await kpiOf(a)).today_kwh, { timeout: 3_000, interval: 50 }).toBeCloseTo(expected + 2, 6);
    await expect.poll(() => onB.kpi?.today_kwh, { timeout: 3_000, interval: 50 }).toBeCloseTo(expected + 2, 6);
  });

  it('tells only its own screens when one instance stops', { timeout: 30_000 }, async () => {
    const onA = openScreen(a.port);
    await expect.poll(() => onA.snapshots, { timeout: 10_000 }).toBe(1);
    a.child.kill('SIGTERM');
    await a.exited;
    expect(onA.restarting).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(onB.restarting).toBe(0);
    expect(onB.socket.connected).toBe(true);
  });
});
