// The store failing or stalling under the real app and the real embedded engine (faults are
// injected around it): ingest answers 503 with Retry-After and bounds what it holds, screens are
// told their figures are delayed and keep them, nothing acknowledged is lost, and everything
// recovers by itself once the store is back.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, DataDelay, ServerToClientEvents, Snapshot } from '../../server/contract.ts';
import { rows } from '../../server/db/store.ts';
import { MAX_PENDING_RECORDS } from '../../server/ingest/ingest.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { post, record, registerFleet } from '../helpers/fleet.ts';
import { faultyStore, StoreFaults } from './faultyStore.ts';
import { rollupsMatchRaw as rollupsAgree, storedOnceEach as storedOnce } from './storeChecks.ts';

const faults = new StoreFaults();
let t: TestApp;
let screen: { id: string; token: string };
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const delays: (DataDelay | null)[] = [];
const sent = new Map<string, number>();
let k = 0;
let port: number;
let restarts = 0;

/** A batch of `perDevice` records for each of the fleet's Auckland devices, later than any before. */
function batch(id: string, perDevice = 2) {
  const records = [];
  for (let i = 0; i < perDevice; i++, k++) {
    const ts = new Date(Date.now() - 3 * 3_600_000 + k * 100).toISOString();
    for (const sn of ['AKL-1', 'AKL-2', 'AKL-3']) records.push(record(sn, ts, k * 0.01, { power_w: 2000 + k }));
  }
  sent.set(id, records.length);
  return { batch_id: id, records };
}

/** Sends a batch as a client honouring 503s does: again after a pause, until it is taken. */
async function postUntilTaken(payload: ReturnType<typeof batch>) {
  for (let attempt = 0; ; attempt++) {
    const answer = await post(t.app, t.root.authorization, payload);
    if (answer.statusCode !== 503 || attempt === 30) return answer;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const storedOnceEach = (ids: string[]) => storedOnce(t.store, sent, ids);
const rollupsMatchRaw = () => rollupsAgree(t.store);

async function snapshot(): Promise<Snapshot> {
  const answer = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${screen.id}/snapshot`, headers: { authorization: `Bearer ${screen.token}` } });
  return answer.json() as Snapshot;
}

beforeAll(async () => {
  // Batches of a quarter of the pending bound (25,000 records) are larger than the default batch limit.
  t = await startTestApp({ FLEETWALL_MAX_BATCH_RECORDS: '50000' }, undefined, undefined, (store) => faultyStore(store, faults));
  await registerFleet(t.app, t.root.authorization);
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Lobby' } });
  screen = created.json() as { id: string; token: string };
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as { port: number }).port;
  socket = connect(`http://127.0.0.1:${port}`, { auth: { token: screen.token }, transports: ['websocket'], forceNew: true });
  socket.on('data-delayed', (delay) => delays.push(delay));
  socket.on('server-restarting', () => restarts++);
  await new Promise((resolve) => socket.once('snapshot', resolve));
  expect((await post(t.app, t.root.authorization, batch('before'))).statusCode).toBe(200);
});

afterAll(async () => {
  socket?.close();
  faults.recover();
  await t?.close();
});

describe('a store that fails', () => {
  it('answers 503 with Retry-After, tells screens, keeps their figures, and recovers by itself', async () => {
    const before = await snapshot();
    faults.fail();
    const refused = await post(t.app, t.root.authorization, batch('during-1'));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect((refused.json() as { message: string }).message).toMatch(/store failed .*not acknowledged/);
    await expect.poll(() => delays.at(-1), { timeout: 5_000 }).toMatchObject({ since: expect.any(String) });
    // Known down: the next batch is refused at once, saying since when.
    const next = await post(t.app, t.root.authorization, batch('during-2'));
    expect(next.statusCode).toBe(503);
    expect((next.json() as { message: string }).message).toMatch(/store is unavailable since \d{4}-/);
    // The wall keeps the figures it had.
    const during = await snapshot();
    expect(during.kpi).toEqual(before.kpi);
    expect(during.status).toEqual(before.status);

    faults.recover();
    await expect.poll(() => delays.at(-1), { timeout: 10_000 }).toBeNull();
    for (const id of ['during-1', 'during-2']) {
      const retried = await postUntilTaken(batch(id));
      expect(retried.statusCode).toBe(200);
      expect(retried.json()).toMatchObject({ accepted: sent.get(id), duplicate: false });
    }
    // Lifetime energy: whatever local day the records fall on (Auckland is 13 hours ahead).
    expect((await snapshot()).kpi.total_kwh).toBeGreaterThan(before.kpi.total_kwh);
    await storedOnceEach(['before', 'during-1', 'during-2']);
    await rollupsMatchRaw();
  });

  it('counts a batch cut off between its records and its ledger row once, whatever comes after it', async () => {
    faults.failInserts(1);
    const cut = batch('cut');
    const refused = await post(t.app, t.root.authorization, cut);
    expect(refused.statusCode).toBe(503);
    faults.recover();
    // Later records of the same devices arrive before the retry of the cut batch.
    expect((await postUntilTaken(batch('after-cut'))).statusCode).toBe(200);
    const retried = await postUntilTaken(cut);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ accepted: sent.get('cut') });
    await storedOnceEach(['cut', 'after-cut']);
    await rollupsMatchRaw();
    // What the wall shows is what the store says: a fresh start reads the same figures.
    const live = await snapshot();
    const restarting = restarts;
    await t.restart();
    expect(restarts).toBe(restarting + 1);
    await t.app.listen({ port, host: '127.0.0.1' });
    const rebuilt = await snapshot();
    expect(rebuilt.kpi).toEqual(live.kpi);
    expect(rebuilt.series).toEqual(live.series);
  });
});

describe('a store that stalls', () => {
  it('holds a bounded number of records, refuses the rest at once, and stores what it took once the store moves', { timeout: 120_000 }, async () => {
    await expect.poll(() => t.app.ingestor.health.status.condition, { timeout: 10_000 }).toBe('ok');
    await expect.poll(() => socket.connected, { timeout: 20_000 }).toBe(true);
    await expect.poll(() => delays.at(-1) ?? null, { timeout: 10_000 }).toBeNull();
    faults.stall();
    // Batches of a quarter of the bound: the first four are taken, the rest are refused.
    const perDevice = Math.floor(MAX_PENDING_RECORDS / 4 / 3);
    const ids = Array.from({ length: 7 }, (_, i) => `stalled-${i}`);
    const answers = ids.map((id) => post(t.app, t.root.authorization, batch(id, perDevice)).then((answer) => ({ id, answer, settled: true })));
    const early = await Promise.all(answers.slice(4));
    for (const { answer } of early) {
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['retry-after']).toBe('5');
      expect((answer.json() as { message: string }).message).toMatch(/store is behind \(\d+ records waiting\)/);
    }
    // Slow for long enough: the screens hear that data is delayed while the store still holds on.
    await expect.poll(() => delays.at(-1) ?? null, { timeout: 15_000 }).toMatchObject({ since: expect.any(String) });
    faults.recover();
    const taken = await Promise.all(answers.slice(0, 4));
    for (const { answer } of taken) expect(answer.statusCode).toBe(200);
    await expect.poll(() => delays.at(-1), { timeout: 10_000 }).toBeNull();
    await storedOnceEach(ids.slice(0, 4));
    const refused = await rows<{ n: number }>(t.store, 'SELECT count() AS n FROM telemetry WHERE batch_id IN {ids:Array(String)}', { ids: ids.slice(4) });
    expect(refused[0].n).toBe(0);
    await rollupsMatchRaw();
  });
});
