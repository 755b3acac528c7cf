// Ingest on the real embedded ClickHouse: rollups, plant-local days far apart, duplicates,
// late records, rejections, and the snapshot's figures following them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../server/contract.ts';
import { rows } from '../../server/db/store.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { post, record, registerFleet } from '../helpers/fleet.ts';

// 22:00 UTC on the latest day it has passed: late morning in Auckland (UTC+13 in November,
// +12 in winter) and noon in Honolulu (UTC-10), so both plants are mid-day and on different dates.
const HOUR = 3_600_000;
const T0 = Math.floor((Date.now() - 22 * HOUR) / (24 * HOUR)) * 24 * HOUR + 22 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const localDateOf = (ms: number, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(ms);

let t: TestApp;
let auth: string;

async function snapshot(): Promise<Snapshot> {
  const screen = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Lobby' } });
  const { id, token } = screen.json() as { id: string; token: string };
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${id}/snapshot`, headers: { authorization: `Bearer ${token}` } });
  expect(response.statusCode).toBe(200);
  return response.json() as Snapshot;
}

beforeAll(async () => {
  t = await startTestApp({}, () => T0);
  auth = t.root.authorization;
  await registerFleet(t.app, auth);
});
afterAll(() => t.close());

describe('telemetry ingest', () => {
  it('stores valid records and sums each plant for its own local day', async () => {
    const answer = await post(t.app, auth, {
      batch_id: 'b1',
      records: [
        record('AKL-1', iso(T0 - 2 * HOUR), 10),
        record('AKL-1', iso(T0 - 5 * 60_000), 20, { power_w: 30_000 }),
        record('AKL-2', iso(T0 - 5 * 60_000), 5, { power_w: 2_000 }),
        record('HNL-1', iso(T0 - 5 * 60_000), 7, { power_w: 4_000 }),
        // Reported 20 minutes ago: past offline_after, so offline, and its power no longer counts.
        record('AKL-3', iso(T0 - 20 * 60_000), 3, { power_w: 9_000, status: 'fault' })
      ]
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ accepted: 5, duplicate: false, rejected: [] });

    const s = await snapshot();
    expect(s.kpi.today_kwh).toBe(35);
    expect(s.kpi.power_w).toBe(36_000);
    // AKL-4 has never reported: offline too.
    expect(s.status).toEqual({ all: 5, normal: 3, standby: 0, protect: 0, fault: 0, offline: 2 });
    // The days series ends at the latest plant-local date: Auckland's, a day ahead of Honolulu's.
    const aklDate = localDateOf(T0, 'Pacific/Auckland');
    const hnlDate = localDateOf(T0, 'Pacific/Honolulu');
    expect(aklDate > hnlDate).toBe(true);
    expect(s.series.days).toHaveLength(30);
    expect(s.series.days.at(-1)).toEqual({ date: aklDate, kwh: 28 });
    expect(s.series.days.at(-2)).toEqual({ date: hnlDate, kwh: 7 });
    expect(s.plants.find((p) => p.id === 'p-akl')).toMatchObject({ today_kwh: 28, power_w: 32_000, status: 'normal' });
    // Today's curve: the tenant's (Berlin) day in 5-minute buckets; each device counts with its
    // last record in a bucket, and the bucket under way ends at the power now.
    const bucketOf = (ms: number) => new Date(Math.floor(ms / 300_000) * 300_000).toISOString();
    expect(s.series.today.at(-1)).toEqual({ t: bucketOf(T0), power_w: 36_000 });
    expect(s.series.today.find((b) => b.t === bucketOf(T0 - 5 * 60_000))?.power_w).toBe(36_000);
    expect(s.series.today.find((b) => b.t === bucketOf(T0 - 20 * 60_000))?.power_w).toBe(9_000);
    expect(s.series.today.find((b) => b.t === bucketOf(T0 - 2 * HOUR))?.power_w).toBe(1_000);
  });

  it('counts a device once per 5-minute bucket, with its last record there', async () => {
    const bucketStart = Math.floor((T0 - 40 * 60_000) / 300_000) * 300_000;
    await post(t.app, auth, {
      records: [
        record('AKL-2', iso(bucketStart + 60_000), 1, { power_w: 500 }),
        record('AKL-2', iso(bucketStart + 180_000), 1, { power_w: 800 }),
        record('AKL-2', iso(bucketStart + 120_000), 1, { power_w: 9_999 }) // older than the last: ignored
      ]
    });
    const s = await snapshot();
    expect(s.series.today.find((b) => b.t === iso(bucketStart))?.power_w).toBe(800);
  });

  it('counts a repeated batch once and says it was a duplicate', async () => {
    const batch = { batch_id: 'b2', records: [record('HNL-1', iso(T0 - 4 * 60_000), 9)] };
    expect((await post(t.app, auth, batch)).json()).toMatchObject({ accepted: 1, duplicate: false });
    for (let i = 0; i < 3; i++) expect((await post(t.app, auth, batch)).json()).toEqual({ accepted: 1, duplicate: true, rejected: [] });
    const stored = await rows<{ n: number }>(t.store, `SELECT count() AS n FROM telemetry WHERE batch_id = 'b2'`);
    expect(stored[0].n).toBe(1);
    expect((await snapshot()).kpi.today_kwh).toBe(37);
  });

  it('refuses the same batch_id with other records and leaves what was stored', async () => {
    const answer = await post(t.app, auth, { batch_id: 'b2', records: [record('HNL-1', iso(T0 - 4 * 60_000), 99)] });
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({ field: 'batch_id' });
    expect((await snapshot()).kpi.today_kwh).toBe(37);
  });

  it('counts late and out-of-order records for the day they belong to', async () => {
    const threeDaysAgo = T0 - 72 * HOUR;
    const lastYear = T0 - 400 * 24 * HOUR;
    const answer = await post(t.app, auth, {
      records: [
        record('AKL-1', iso(threeDaysAgo), 40),
        record('AKL-1', iso(threeDaysAgo - HOUR), 30),
        record('AKL-1', iso(lastYear), 50)
      ]
    });
    expect(answer.json()).toMatchObject({ accepted: 3, rejected: [] });
    const s = await snapshot();
    const day = s.series.days.find((d) => d.date === localDateOf(threeDaysAgo, 'Pacific/Auckland'));
    expect(day?.kwh).toBe(40);
    const year = Number(localDateOf(lastYear, 'Pacific/Auckland').slice(0, 4));
    expect(s.series.years.find((y) => y.year === year)?.kwh).toBeGreaterThanOrEqual(50);
    // A second, lower late record for an old day adds nothing: a day's energy is its largest counter.
    await post(t.app, auth, { records: [record('AKL-1', iso(lastYear + HOUR), 45)] });
    expect((await snapshot()).series.years).toEqual(s.series.years);
  });

  it('rejects each invalid record by field and stores the rest', async () => {
    const answer = await post(t.app, auth, {
      records: [
        record('NOPE', iso(T0), 1),
        { sn: 'HNL-1', ts: 'yesterday', status: 'normal', power_w: 1, e_today_kwh: 1 },
        record('HNL-1', iso(T0), -1),
        record('HNL-1', iso(T0), 1, { status: 'sleeping' as never }),
        record('HNL-1', iso(T0 + 11 * 60_000), 1),
        record('HNL-1', '2026-01-01T10:00:00', 1),
        record('HNL-1', iso(T0 - 60_000), 9.5)
      ]
    });
    expect(answer.statusCode).toBe(200);
    const body = answer.json() as { accepted: number; rejected: { index: number; field: string }[] };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.field])).toEqual([
      [0, 'sn'],
      [1, 'ts'],
      [2, 'e_today_kwh'],
      [3, 'status'],
      [4, 'ts'],
      [5, 'ts']
    ]);
  });

  it('answers 400 and stores nothing for a body that is not a batch', async () => {
    const before = await rows<{ n: number }>(t.store, 'SELECT count() AS n FROM telemetry');
    for (const payload of [[], { records: 'x' }, { batch_id: 5, records: [] }, {}]) {
      const answer = await post(t.app, auth, payload);
      expect(answer.statusCode).toBe(400);
      expect((answer.json() as { message: string }).message).toMatch(/records|batch_id|body/);
    }
    const garbage = await t.app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: { ...t.root, 'content-type': 'application/json' }, payload: '{"records": [' });
    expect(garbage.statusCode).toBe(400);
    const after = await rows<{ n: number }>(t.store, 'SELECT count() AS n FROM telemetry');
    expect(after[0].n).toBe(before[0].n);
  });

  it('keeps the rollups equal to what the raw table says', async () => {
    const fromRaw = await rows<{ plant_id: string; kwh: number }>(
      t.store,
      `SELECT plant_id, sum(day) AS kwh FROM (SELECT plant_id, sn, local_date, max(e_today_kwh) AS day FROM telemetry GROUP BY plant_id, sn, local_date) GROUP BY plant_id ORDER BY plant_id`
    );
    const fromRollup = await rows<{ plant_id: string; kwh: number }>(t.store, 'SELECT plant_id, sum(kwh) AS kwh FROM plant_yearly_energy GROUP BY plant_id ORDER BY plant_id');
    expect(fromRollup).toEqual(fromRaw);
  });

  it('rebuilds the same live figures from the store after a restart', async () => {
    const before = await snapshot();
    await t.restart();
    const after = await snapshot();
    expect(after.kpi).toEqual(before.kpi);
    expect(after.status).toEqual(before.status);
    expect(after.series).toEqual(before.series);
  });
});
