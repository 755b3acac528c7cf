// Server mode, the ClickHouse server killed (kill -9) under sustained ingest and started again on
// its data: ingest answers 503 with Retry-After naming the store and holds nothing meanwhile, a
// screen is told its data is delayed and keeps its figures, everything acknowledged is there
// afterwards, and the app recovers by itself; retried batches count once.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, DataDelay, ServerToClientEvents, Snapshot } from '../../server/contract.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startClickHouseStandIn, type ClickHouseStandIn } from '../helpers/clickhouseStandIn.ts';
import { registerFleet } from '../helpers/fleet.ts';
import { Dataloggers } from './dataloggers.ts';
import { rollupsMatchRaw, storedOnceEach } from './storeChecks.ts';

let standIn: ClickHouseStandIn;
let t: TestApp;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
let loggers: Dataloggers;
let screen: { id: string; token: string };
const delays: (DataDelay | null)[] = [];
const snapshots: Snapshot[] = [];

beforeAll(async () => {
  standIn = await startClickHouseStandIn();
  t = await startTestApp({ ...standIn.env, FLEETWALL_STORE_TIMEOUT: '3' });
  await registerFleet(t.app, t.root.authorization);
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Lobby' } });
  screen = created.json() as { id: string; token: string };
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };
  socket = connect(`http://127.0.0.1:${port}`, { auth: { token: screen.token }, transports: ['websocket'], forceNew: true });
  socket.on('data-delayed', (delay) => delays.push(delay));
  socket.on('snapshot', (snapshot) => snapshots.push(snapshot));
  await new Promise((resolve) => socket.once('snapshot', resolve));
  loggers = new Dataloggers(() => t.app, t.root.authorization, ['AKL-1', 'AKL-2', 'AKL-3']);
});

afterAll(async () => {
  await loggers?.halt();
  socket?.close();
  await t?.close();
  await standIn?.close();
});

/** The figures the screen's snapshot shows now. */
async function kpi(): Promise<Snapshot['kpi']> {
  const answer = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${screen.id}/snapshot`, headers: { authorization: `Bearer ${screen.token}` } });
  expect(answer.statusCode).toBe(200);
  return (answer.json() as Snapshot).kpi;
}

describe('a ClickHouse server killed under ingest', () => {
  it('refuses with 503 while it is away, loses nothing acknowledged, and recovers by itself', { timeout: 90_000 }, async () => {
    loggers.start(3, 100);
    await expect.poll(() => loggers.acknowledged.size, { timeout: 15_000 }).toBeGreaterThanOrEqual(10);
    const killedAt = Date.now();
    await standIn.kill();
    const acknowledgedBefore = new Set(loggers.acknowledged);
    const shownBefore = await kpi();

    // Refused while it is away, each answer naming the store and when to come back.
    await expect.poll(() => loggers.answers.filter((a) => a.sentAt > killedAt && a.status === 503).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(10);
    const refused = loggers.answers.filter((a) => a.sentAt > killedAt && a.status === 503);
    for (const answer of refused) {
      expect(answer.retryAfter).toBe('5');
      expect(answer.message).toMatch(/store (failed|is unavailable since \d{4}-)/);
      // Nothing is held while the store is away: every refusal comes sooner than the store
      // timeout (3 s) a request waiting on it could take.
      expect(answer.answeredAt - answer.sentAt).toBeLessThan(3_000);
    }
    expect(loggers.answers.filter((a) => a.sentAt > killedAt + 500 && a.status === 200)).toEqual([]);

    // The screen hears that its data is delayed, stays connected and keeps its figures.
    await expect.poll(() => delays.at(-1) ?? null, { timeout: 10_000 }).toMatchObject({ since: expect.any(String) });
    expect(Date.parse(delays.at(-1)!.since)).toBeGreaterThanOrEqual(killedAt - 1_000);
    expect(socket.connected).toBe(true);
    const shown = snapshots.length;
    expect(await kpi()).toEqual(shownBefore);

    // Other writes are refused the same way, and take nothing.
    const tenant = { name: 'Late Customer', parent_id: 'dist', kind: 'customer', timezone: 'Europe/Berlin' };
    const put = () => t.app.inject({ method: 'PUT', url: '/api/v1/tenants/late', headers: t.root, payload: tenant });
    const refusedPut = await put();
    expect(refusedPut.statusCode).toBe(503);
    expect(refusedPut.headers['retry-after']).toBe('5');
    expect((refusedPut.json() as { message: string }).message).toMatch(/^the store is unavailable \(.+\); send the request again later$/);

    await standIn.restart();
    // No request needed: the app finds the store back by itself.
    await expect.poll(() => delays.at(-1), { timeout: 20_000 }).toBeNull();
    const backAt = Date.now();
    await expect.poll(() => loggers.answers.filter((a) => a.sentAt > backAt && a.status === 200).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    await loggers.stop();
    expect(snapshots.length).toBe(shown);
    expect((await put()).statusCode).toBe(200);

    // Everything acknowledged, before and after, is stored exactly once; so is every batch that
    // was refused and sent again. Retries of acknowledged batches are duplicates.
    for (const id of acknowledgedBefore) expect(loggers.acknowledged.has(id)).toBe(true);
    expect(loggers.acknowledged.size).toBe(loggers.sent.size);
    await storedOnceEach(t.store, loggers.sent, [...loggers.sent.keys()]);
    for (const id of [...acknowledgedBefore].slice(-3)) {
      const again = await loggers.send(loggers.batchAgain(id));
      expect(again).toMatchObject({ status: 200, duplicate: true });
    }
    await storedOnceEach(t.store, loggers.sent, [...loggers.sent.keys()]);
    await rollupsMatchRaw(t.store);
  });
});
