// Server mode (CLICKHOUSE_URL): the app on a ClickHouse server over HTTP, here the stand-in
// (test/helpers/clickhouseStandIn.ts), side by side with the app on the embedded engine. The same
// batches give the same answers and the same figures on both, and the server's store keeps them
// over restarts of the app and of the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../server/contract.ts';
import { loadConfig } from '../../server/config.ts';
import { createStore, rows } from '../../server/db/store.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startClickHouseStandIn, type ClickHouseStandIn } from '../helpers/clickhouseStandIn.ts';
import { post, record, registerFleet } from '../helpers/fleet.ts';
import { rollupsMatchRaw, storedOnceEach } from './storeChecks.ts';

// The last 02:00 UTC: mid-afternoon in Auckland, the previous afternoon in Honolulu. Recent, as
// the store's TTLs go by its own clock.
const NOW = Math.floor((Date.now() - 2 * 3_600_000) / 86_400_000) * 86_400_000 + 2 * 3_600_000;
let standIn: ClickHouseStandIn;
let server: TestApp;
let embedded: TestApp;
const screens = new Map<TestApp, { id: string; token: string }>();

const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();
/** Two local days in Auckland (14:00 today, yesterday's evening), one in Honolulu; a retry and a late record. */
const batches = [
  {
    batch_id: 'logger-1/a',
    records: [
      record('AKL-1', minutesAgo(30), 12.5, { power_w: 4200, e_total_kwh: 1200, pv: [{ v: 610, i: 7.1 }] }),
      record('AKL-3', minutesAgo(30), 3.25, { power_w: -800, battery: { soc: 64, power_w: -800 } }),
      record('HNL-1', minutesAgo(25), 8.75, { power_w: 2500, status: 'fault', fault_code: 'E042' })
    ]
  },
  { batch_id: 'logger-1/b', records: [record('AKL-1', minutesAgo(20), 13.75, { power_w: 4000, e_total_kwh: 1201.25 }), record('AKL-2', minutesAgo(20), 9, { power_w: 3900 })] },
  { batch_id: 'logger-2/late', records: [record('AKL-2', minutesAgo(20 * 60), 31.5, { power_w: 0 }), { sn: 'AKL-9', ts: minutesAgo(5), status: 'normal', power_w: 1, e_today_kwh: 1 }] },
  { batch_id: 'logger-1/c', records: [record('AKL-1', minutesAgo(5), 14.5, { power_w: 3800, e_total_kwh: 1202 }), record('AKL-4', minutesAgo(5), 4, { power_w: 7400 })] }
];

async function snapshot(t: TestApp): Promise<Snapshot> {
  const screen = screens.get(t)!;
  const answer = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${screen.id}/snapshot`, headers: { authorization: `Bearer ${screen.token}` } });
  expect(answer.statusCode).toBe(200);
  return answer.json() as Snapshot;
}

/** What the wall shows, without the screen's own identity. */
async function figures(t: TestApp) {
  const { as_of, status, kpi, plants, series } = await snapshot(t);
  // The order of plants is the order live state met them, which a restart may change.
  return { as_of, status, kpi, plants: [...plants].sort((a, b) => a.id.localeCompare(b.id)), series };
}

/** Everything the store holds that the wall is built from. */
async function stored(t: TestApp) {
  const [raw] = await rows<{ n: number; kwh: number }>(t.store, 'SELECT count() AS n, sum(e_today_kwh) AS kwh FROM telemetry');
  const [daily] = await rows<{ kwh: number }>(t.store, 'SELECT sum(kwh) AS kwh FROM plant_daily_energy');
  const [power] = await rows<{ w: number }>(t.store, 'SELECT sum(power_w) AS w FROM plant_power_5min');
  const [ledger] = await rows<{ n: number }>(t.store, 'SELECT count() AS n FROM ingest_batches');
  return { raw, daily: daily.kwh, power: power.w, ledger: ledger.n };
}

beforeAll(async () => {
  standIn = await startClickHouseStandIn();
  server = await startTestApp(standIn.env, () => NOW);
  embedded = await startTestApp({}, () => NOW);
  for (const t of [server, embedded]) {
    await registerFleet(t.app, t.root.authorization);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Lobby' } });
    screens.set(t, created.json() as { id: string; token: string });
  }
});

afterAll(async () => {
  await server?.close();
  await embedded?.close();
  await standIn?.close();
});

describe('server mode', () => {
  it('refuses credentials the ClickHouse server does not know, with its error', async () => {
    const wrong = createStore(loadConfig({ ...standIn.env, CLICKHOUSE_PASSWORD: 'not-the-password', FLEETWALL_DATA: standIn.dataDir }));
    await expect(rows(wrong, 'SELECT 1')).rejects.toMatchObject({ code: '516', type: 'AUTHENTICATION_FAILED', message: expect.stringContaining('Authentication failed') });
    await wrong.close();
  });

  it('answers every batch as the embedded engine does, and shows the same figures', async () => {
    for (const batch of batches) {
      const answers = await Promise.all([server, embedded].map((t) => post(t.app, t.root.authorization, batch)));
      expect(answers[0].statusCode, batch.batch_id).toBe(200);
      expect(answers[0].json(), batch.batch_id).toEqual(answers[1].json());
      if (batch.batch_id === 'logger-2/late') expect(answers[0].json()).toMatchObject({ accepted: 1, duplicate: false, rejected: [{ index: 1, field: 'sn' }] });
    }

    // A retry counts once: re-sent as it was, and re-serialized (other key order).
    const retried = await post(server.app, server.root.authorization, batches[1]);
    expect(retried.json()).toEqual({ accepted: 2, duplicate: true, rejected: [] });
    const reordered = { records: batches[1].records.map((r) => Object.fromEntries(Object.entries(r).reverse())), batch_id: batches[1].batch_id };
    expect((await post(server.app, server.root.authorization, reordered)).json()).toEqual({ accepted: 2, duplicate: true, rejected: [] });
    // The same batch_id with other records is refused and stores nothing.
    const changed = { batch_id: batches[1].batch_id, records: [record('AKL-2', minutesAgo(20), 99, { power_w: 9999 })] };
    const refused = await post(server.app, server.root.authorization, changed);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ field: 'batch_id' });

    const onServer = await figures(server);
    expect(onServer).toEqual(await figures(embedded));
    expect(onServer.status).toMatchObject({ all: 5, normal: 2, offline: 3 });
    expect(onServer.kpi.today_kwh).toBeCloseTo(14.5 + 3.25 + 9 + 4 + 8.75, 6);
    expect(await stored(server)).toEqual(await stored(embedded));
    const sent = new Map(batches.map((b) => [b.batch_id, b.batch_id === 'logger-2/late' ? 1 : b.records.length]));
    await storedOnceEach(server.store, sent, [...sent.keys()]);
    await rollupsMatchRaw(server.store);
  });

  it('keeps everything over a restart of the app, and of the ClickHouse server', async () => {
    const before = await figures(server);
    const inStore = await stored(server);
    await server.restart();
    await embedded.restart();
    expect(await figures(embedded)).toEqual(before);
    expect(await figures(server)).toEqual(before);

    await standIn.kill();
    await standIn.restart();
    await server.restart();
    expect(await figures(server)).toEqual(before);
    expect(await stored(server)).toEqual(inStore);
    // Retries after both restarts still count once.
    expect((await post(server.app, server.root.authorization, batches[0])).json()).toMatchObject({ accepted: 3, duplicate: true });
    expect(await stored(server)).toEqual(inStore);
  });
});
