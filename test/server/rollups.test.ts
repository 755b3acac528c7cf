// The rollups live state starts from (migrations 011-013) on the real embedded engine: after
// ingest, after a restart and more ingest, and after a store that predates them is migrated,
// each holds what the raw table says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceLifetimeEnergy } from '../../aggregates/queries/deviceLifetimeEnergy.ts';
import { deviceMonthlyEnergy } from '../../aggregates/queries/deviceMonthlyEnergy.ts';
import { deviceRecentDailyMaxima } from '../../aggregates/queries/deviceRecentDailyMaxima.ts';
import { plantDailyEnergy } from '../../aggregates/queries/plantDailyEnergy.ts';
import type { Snapshot } from '../../server/contract.ts';
import { rows } from '../../server/db/store.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { post, record, registerFleet } from '../helpers/fleet.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 22:00 UTC on the latest day it has passed (see ingest.test.ts): both test plants mid-day.
const T0 = Math.floor((Date.now() - 22 * HOUR) / DAY) * DAY + 22 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const utcDate = (ms: number) => iso(ms).slice(0, 10);
const SINCE_DAY = utcDate(T0 - 10 * DAY);
const SINCE_MONTH = `${utcDate(T0 - 40 * DAY).slice(0, 7)}-01`;

let t: TestApp;
let auth: string;
let batch = 0;

async function send(records: ReturnType<typeof record>[]): Promise<void> {
  const answer = await post(t.app, auth, { batch_id: `r${batch++}`, records });
  expect(answer.json()).toMatchObject({ accepted: records.length, rejected: [] });
}

/**
 * Day energies straight from the raw table: each device's largest e_today_kwh per local date. A
 * constant subquery spliced into the checks below; their values go in as query parameters.
 */
const RAW_DAYS = `SELECT plant_id, sn, local_date, max(e_today_kwh) AS day, max(e_total_kwh) AS total FROM telemetry GROUP BY plant_id, sn, local_date`;
const bySn = <T extends { sn: string }>(list: T[]) => [...list].sort((a, b) => a.sn.localeCompare(b.sn));
const byKey = (list: unknown[]) => [...list].map((r) => JSON.stringify(r)).sort();

async function expectRollupsEqualRaw(): Promise<void> {
  const store = t.store;
  expect(bySn(await deviceLifetimeEnergy(store))).toEqual(
    await rows(store, `SELECT sn, sum(day) AS energy_kwh, max(total) AS e_total_kwh FROM (${RAW_DAYS}) GROUP BY sn ORDER BY sn`)
  );
  expect(byKey(await deviceMonthlyEnergy(store, SINCE_MONTH))).toEqual(
    byKey(
      await rows(
        store,
        `SELECT sn, formatDateTime(local_date, '%Y-%m') AS month, sum(day) AS kwh FROM (${RAW_DAYS}) WHERE local_date >= {since:Date} GROUP BY sn, month`,
        { since: SINCE_MONTH }
      )
    )
  );
  expect(byKey(await deviceRecentDailyMaxima(store, SINCE_DAY))).toEqual(
    byKey(await rows(store, `SELECT sn, toString(raw.local_date) AS local_date, day AS kwh FROM (${RAW_DAYS}) AS raw WHERE raw.local_date >= {since:Date}`, { since: SINCE_DAY }))
  );
  expect(byKey(await plantDailyEnergy(store, SINCE_DAY))).toEqual(
    byKey(
      await rows(store, `SELECT plant_id, toString(raw.local_date) AS local_date, sum(day) AS kwh FROM (${RAW_DAYS}) AS raw WHERE raw.local_date >= {since:Date} GROUP BY plant_id, raw.local_date`, {
        since: SINCE_DAY
      })
    )
  );
}

async function snapshot(): Promise<Snapshot> {
  const screen = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Lobby' } });
  const { id, token } = screen.json() as { id: string; token: string };
  return (await t.app.inject({ method: 'GET', url: `/api/v1/screens/${id}/snapshot`, headers: { authorization: `Bearer ${token}` } })).json() as Snapshot;
}

beforeAll(async () => {
  t = await startTestApp({}, () => T0);
  auth = t.root.authorization;
  await registerFleet(t.app, auth);
});
afterAll(() => t.close());

describe('rollups for the start of live state', () => {
  it('hold what the raw table says after ingest: old months, recent days, late and repeated records', async () => {
    await send([
      record('AKL-1', iso(T0 - 100 * DAY), 30.25, { e_total_kwh: 1000 }),
      record('AKL-1', iso(T0 - 100 * DAY + HOUR), 41.5, { e_total_kwh: 1011.25 }),
      record('AKL-2', iso(T0 - 35 * DAY), 12),
      record('HNL-1', iso(T0 - 35 * DAY), 8.75),
      record('HNL-1', iso(T0 - 2 * DAY), 20),
      record('AKL-1', iso(T0 - 2 * HOUR), 5, { e_total_kwh: 1500 }),
      record('AKL-1', iso(T0 - HOUR), 9.5, { e_total_kwh: 1504.5 }),
      record('HNL-1', iso(T0 - HOUR), 3.25)
    ]);
    // A late record raising an old day, one below a day's maximum, and out-of-order ones.
    await send([
      record('AKL-2', iso(T0 - 35 * DAY + 2 * HOUR), 19.5),
      record('HNL-1', iso(T0 - 2 * DAY - HOUR), 15),
      record('AKL-1', iso(T0 - 90 * 60_000), 7)
    ]);
    await expectRollupsEqualRaw();
    const lifetime = bySn(await deviceLifetimeEnergy(t.store));
    expect(lifetime.find((r) => r.sn === 'AKL-1')).toEqual({ sn: 'AKL-1', energy_kwh: 41.5 + 9.5, e_total_kwh: 1504.5 });
    expect(lifetime.find((r) => r.sn === 'AKL-2')).toEqual({ sn: 'AKL-2', energy_kwh: 19.5, e_total_kwh: null });
  });

  it('stay equal to the raw table across a restart and the ingest after it, and the wall shows the same', async () => {
    const before = await snapshot();
    await t.restart();
    expect((await snapshot()).kpi).toEqual(before.kpi);
    await send([record('AKL-1', iso(T0 - 30 * 60_000), 12.25, { e_total_kwh: 1507.25 }), record('HNL-1', iso(T0 - 35 * DAY + HOUR), 9)]);
    await expectRollupsEqualRaw();
    const after = await snapshot();
    expect(after.kpi.total_kwh).toBe(before.kpi.total_kwh + (1507.25 - 1504.5) + (9 - 8.75));
  });

  it('are backfilled from what a store held before they existed', async () => {
    const before = await snapshot();
    // The store as it was before migrations 011-013: their tables and views gone, versions unrecorded.
    for (const name of ['device_lifetime', 'device_monthly_energy', 'device_recent_daily', 'plant_recent_daily_energy']) {
      await t.store.command({ query: `DROP VIEW IF EXISTS ${name}_mv` });
      await t.store.command({ query: `DROP TABLE IF EXISTS ${name}` });
    }
    await t.store.command({ query: 'ALTER TABLE schema_migrations DELETE WHERE version >= 11 SETTINGS mutations_sync = 2' });
    await t.restart();
    await expectRollupsEqualRaw();
    const after = await snapshot();
    expect(after.kpi).toEqual(before.kpi);
    expect(after.series).toEqual(before.series);
    // Applied once: a further restart neither re-runs nor doubles them.
    await t.restart();
    await expectRollupsEqualRaw();
  });
});
