// A datalogger whose connection drops after the server stored its batch retries it: the batch
// counts once, in the raw table and in every rollup. The same batch_id with other records is
// refused with 409 and changes nothing.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../server/db/store.ts';
import { startTestApp, ROOT_KEY, type TestApp } from '../../helpers/app.ts';
import { record, registerFleet } from '../../helpers/fleet.ts';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  await registerFleet(t.app, t.root.authorization);
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

const at = new Date(Date.now() - 120_000).toISOString();
const batch = {
  batch_id: 'logger-7/2026-11-21T10:00',
  records: [record('AKL-1', at, 10.5, { power_w: 4000 }), record('HNL-1', at, 20.25, { power_w: 3000 }), { sn: 'AKL-1', ts: at, status: 'on fire' }]
};

/** What the store holds of the fleet, raw and rolled up. */
async function figures() {
  const [raw] = await rows<{ n: number; kwh: number }>(t.store, 'SELECT count() AS n, sum(e_today_kwh) AS kwh FROM telemetry');
  const [daily] = await rows<{ kwh: number }>(t.store, 'SELECT sum(kwh) AS kwh FROM plant_daily_energy');
  const [monthly] = await rows<{ kwh: number }>(t.store, 'SELECT sum(kwh) AS kwh FROM plant_monthly_energy');
  const [yearly] = await rows<{ kwh: number }>(t.store, 'SELECT sum(kwh) AS kwh FROM plant_yearly_energy');
  const [power] = await rows<{ w: number }>(t.store, 'SELECT sum(power_w) AS w FROM plant_power_5min');
  const [device] = await rows<{ kwh: number }>(t.store, 'SELECT sum(e) AS kwh FROM (SELECT max(e_today_max) AS e FROM device_daily GROUP BY sn, local_date)');
  const [ledger] = await rows<{ n: number }>(t.store, 'SELECT count() AS n FROM ingest_batches');
  return { raw, daily: daily.kwh, monthly: monthly.kwh, yearly: yearly.kwh, power: power.w, device: device.kwh, ledger: ledger.n };
}

/** Sends the request, waits until the server has stored the batch, then resets the connection unread. */
async function sendAndReset(body: string, stored = async () => (await figures()).ledger > 0): Promise<void> {
  const { port } = new URL(base);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.pause();
  socket.write(
    `POST /api/v1/telemetry HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${ROOT_KEY}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
  for (let i = 0; i < 300; i++) {
    if (await stored()) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  socket.resetAndDestroy();
}

describe('retries', () => {
  it('counts a batch once after a connection reset and five retries', async () => {
    const body = JSON.stringify(batch);
    await sendAndReset(body);
    const first = await figures();
    expect(first.raw).toEqual({ n: 2, kwh: 30.75 });
    for (let i = 0; i < 5; i++) {
      const retry = await fetch(`${base}/api/v1/telemetry`, { method: 'POST', headers: { authorization: `Bearer ${ROOT_KEY}`, 'content-type': 'application/json' }, body });
      expect(retry.status).toBe(200);
      expect(await retry.json()).toEqual({ accepted: 2, duplicate: true, rejected: [{ index: 2, field: 'status', reason: expect.stringContaining('normal') }] });
    }
    expect(await figures()).toEqual({ raw: { n: 2, kwh: 30.75 }, daily: 30.75, monthly: 30.75, yearly: 30.75, power: 7000, device: 30.75, ledger: 1 });
  });

  it('counts a batch sent without a batch_id once when the same bytes come again after a reset', async () => {
    const before = await figures();
    const later = new Date(Date.now() - 60_000).toISOString();
    const body = JSON.stringify({ records: [record('AKL-1', later, 31.5, { power_w: 4100 }), record('HNL-1', later, 41.25, { power_w: 3100 })] });
    await sendAndReset(body, async () => (await figures()).raw.n > before.raw.n);
    const stored = await figures();
    expect(stored.raw.n - before.raw.n).toBe(2);
    expect(stored.daily).toBeGreaterThan(before.daily);
    for (let i = 0; i < 5; i++) {
      const retry = await fetch(`${base}/api/v1/telemetry`, { method: 'POST', headers: { authorization: `Bearer ${ROOT_KEY}`, 'content-type': 'application/json' }, body });
      expect(retry.status).toBe(200);
    }
    expect(await figures()).toEqual(stored);
  });

  it('refuses the same batch_id with other records with 409, before and after a restart, and keeps the stored rows', async () => {
    const before = await figures();
    const changed = { ...batch, records: [record('AKL-1', at, 99, { power_w: 9999 })] };
    for (const attempt of ['live', 'restarted']) {
      if (attempt === 'restarted') await t.restart();
      const answer = await t.app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: t.root, payload: changed });
      expect(answer.statusCode, attempt).toBe(409);
      expect(answer.json()).toMatchObject({ field: 'batch_id', message: expect.stringMatching(/already stored with other records; use a new batch_id/) });
      expect(await figures()).toEqual(before);
    }
    // The original batch is still a duplicate after the restart, not stored again.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: t.root, payload: batch })).json()).toMatchObject({ accepted: 2, duplicate: true });
    expect(await figures()).toEqual(before);
  });
  it('knows a retry of the same records sent with other bytes (key order, spacing, number spelling), and refuses one changed value', async () => {
    const before = await figures();
    const reordered = (value: unknown): unknown =>
      Array.isArray(value) ? value.map(reordered) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reordered(v)])) : value;
    const respelled = JSON.stringify(reordered(batch), null, 2).replace('10.5', '10.50').replace('20.25', '2025e-2');
    const oneChanged = { ...batch, records: [record('AKL-1', at, 10.5, { power_w: 4000 }), record('HNL-1', at, 20.25, { power_w: 3001 }), batch.records[2]] };
    for (const attempt of ['live', 'restarted']) {
      if (attempt === 'restarted') await t.restart();
      const retry = await t.app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: { ...t.root, 'content-type': 'application/json' }, payload: respelled });
      expect(retry.statusCode, attempt).toBe(200);
      expect(retry.json(), attempt).toMatchObject({ accepted: 2, duplicate: true });
      const changed = await t.app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: t.root, payload: oneChanged });
      expect(changed.statusCode, attempt).toBe(409);
      expect(await figures(), attempt).toEqual(before);
    }
  });

});
