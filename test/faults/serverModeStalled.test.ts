// Server mode, the ClickHouse server stalled (SIGSTOP: it holds its connections and answers
// nothing) under sustained ingest, then moving again (SIGCONT): requests waiting on it get a 503
// within FLEETWALL_STORE_TIMEOUT, what waits is bounded, a screen is told its data is delayed,
// nothing acknowledged is lost, and the app recovers by itself with live figures that match the
// store's.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, DataDelay, ServerToClientEvents, Snapshot } from '../../server/contract.ts';
import { MAX_PENDING_RECORDS } from '../../server/ingest/ingest.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startClickHouseStandIn, type ClickHouseStandIn } from '../helpers/clickhouseStandIn.ts';
import { registerFleet } from '../helpers/fleet.ts';
import { Dataloggers, type Answer } from './dataloggers.ts';
import { rollupsMatchRaw, storedOnceEach } from './storeChecks.ts';

const TIMEOUT_S = 3;
let standIn: ClickHouseStandIn;
let t: TestApp;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
let loggers: Dataloggers;
let screen: { id: string; token: string };
const delays: (DataDelay | null)[] = [];

beforeAll(async () => {
  standIn = await startClickHouseStandIn();
  // Batches of a quarter of the pending bound are larger than the default batch limit.
  t = await startTestApp({ ...standIn.env, FLEETWALL_STORE_TIMEOUT: String(TIMEOUT_S), FLEETWALL_MAX_BATCH_RECORDS: '50000' });
  await registerFleet(t.app, t.root.authorization);
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Lobby' } });
  screen = created.json() as { id: string; token: string };
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };
  socket = connect(`http://127.0.0.1:${port}`, { auth: { token: screen.token }, transports: ['websocket'], forceNew: true });
  socket.on('data-delayed', (delay) => delays.push(delay));
  await new Promise((resolve) => socket.once('snapshot', resolve));
  loggers = new Dataloggers(() => t.app, t.root.authorization, ['AKL-1', 'AKL-2', 'AKL-3']);
});

afterAll(async () => {
  await loggers?.halt();
  socket?.close();
  await t?.close();
  await standIn?.close();
});

async function figures(): Promise<Pick<Snapshot, 'status' | 'kpi' | 'series'>> {
  const answer = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${screen.id}/snapshot`, headers: { authorization: `Bearer ${screen.token}` } });
  const { status, kpi, series } = answer.json() as Snapshot;
  return { status, kpi, series };
}

describe('a ClickHouse server that stalls under ingest', () => {
  it('answers what waits on it with 503 in bounded time, holds a bounded amount, and recovers by itself once it moves', { timeout: 90_000 }, async () => {
    loggers.start(3, 100);
    await expect.poll(() => loggers.acknowledged.size, { timeout: 15_000 }).toBeGreaterThanOrEqual(10);
    const shownBefore = (await figures()).kpi;
    const stalledAt = Date.now();
    standIn.pause();

    // Large batches on top of the loggers': what would go past the bound is refused at once.
    const perDevice = Math.floor(MAX_PENDING_RECORDS / 4 / 3);
    const large = Array.from({ length: 6 }, (_, i) => loggers.batch(`large-${i}`, perDevice));
    const largeAnswers = await Promise.all(large.map((payload) => loggers.send(payload)));
    const behind = largeAnswers.filter((a) => /store is behind/.test(a.message));
    expect(behind.length).toBeGreaterThanOrEqual(2);
    for (const answer of behind) {
      expect(Number(/\((\d+) records waiting\)/.exec(answer.message)![1])).toBeLessThanOrEqual(MAX_PENDING_RECORDS);
      // Refused on arrival (only then is "behind" said), not after waiting on the store: the time
      // is parsing a batch of 25,000 records on a busy machine.
      expect(answer.answeredAt - answer.sentAt).toBeLessThan(TIMEOUT_S * 1000);
    }
    // Everything sent while it stalls is answered 503 naming the store, within about the timeout.
    const during = (a: Answer) => a.sentAt >= stalledAt && a.answeredAt < stalledAt + 4 * TIMEOUT_S * 1000;
    await expect.poll(() => delays.at(-1) ?? null, { timeout: 10_000 }).toMatchObject({ since: expect.any(String) });
    await new Promise((resolve) => setTimeout(resolve, 2 * TIMEOUT_S * 1000));
    const stalled = loggers.answers.filter(during);
    expect(stalled.length).toBeGreaterThanOrEqual(largeAnswers.length + 3);
    for (const answer of stalled) {
      expect(answer.status, answer.id).toBe(503);
      expect(answer.retryAfter).toBe('5');
      expect(answer.message).toMatch(/store (failed|is unavailable since|is behind)/);
      expect(answer.answeredAt - answer.sentAt, answer.id).toBeLessThan((TIMEOUT_S + 3) * 1000);
    }
    expect(loggers.answers.some((a) => /store failed \(Timeout error/.test(a.message))).toBe(true);
    // Other writes wait no longer either.
    const putAt = Date.now();
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/tenants/late', headers: t.root, payload: { name: 'Late Customer', parent_id: 'dist', kind: 'customer' } });
    expect(put.statusCode).toBe(503);
    expect((put.json() as { message: string }).message).toMatch(/^the store is unavailable \(Timeout error\.\)/);
    expect(Date.now() - putAt).toBeLessThan((TIMEOUT_S + 3) * 1000);
    expect((await figures()).kpi).toEqual(shownBefore);

    standIn.resume();
    await expect.poll(() => delays.at(-1), { timeout: 20_000 }).toBeNull();
    const backAt = Date.now();
    await expect.poll(() => loggers.answers.filter((a) => a.sentAt > backAt && a.status === 200).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    await loggers.stop();
    for (const payload of large) {
      let answer = await loggers.send(payload);
      for (let attempt = 0; answer.status === 503 && attempt < 20; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        answer = await loggers.send(payload);
      }
      expect(answer.status, payload.batch_id).toBe(200);
    }

    // Everything acknowledged is stored once, rollups agree with the raw records, and the wall
    // shows what a fresh start reads from the store.
    expect(loggers.acknowledged.size).toBe(loggers.sent.size);
    await storedOnceEach(t.store, loggers.sent, [...loggers.sent.keys()]);
    await rollupsMatchRaw(t.store);
    const live = await figures();
    await t.restart();
    expect(await figures()).toEqual(live);
  });
});
