// Quotes, comments, statement breaks, placeholders and ORDER BY payloads in every text field a
// client can set: stored and answered verbatim, after a restart too, and nothing else changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerRow, DeviceRow, PlantRow, Snapshot } from '../../../server/contract.ts';
import { rows } from '../../../server/db/store.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { post, record } from '../../helpers/fleet.ts';

const P = `O'B "x" \\' --/**/; DROP TABLE plants; {id:String} ORDER BY 1#`;
/** Ids follow a pattern (letters, digits and . _ : -): comments and colons are what fits. */
const ID = 'x--1:or:1=1'.replace('=', '.');
const PHONE = `+1 '--/**/`;
const EMAIL = `o'brien--"x"@example.com`;

let t: TestApp;
let screen: { id: string; token: string };
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const tables = async () => (await rows<{ name: string }>(t.store, 'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name')).map((r) => r.name);

describe('injection probes', () => {
  it('stores every text field verbatim and changes nothing else', async () => {
    const before = await tables();
    const raw = (url: string, payload: object) => t.app.inject({ method: 'PUT', url, headers: t.root, payload });
    const put = async (url: string, payload: object) => {
      const r = await raw(url, payload);
      expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
    };
    await put(`/api/v1/tenants/d${ID}`, { name: P, parent_id: null, kind: 'distributor', timezone: 'UTC' });
    await put(`/api/v1/tenants/c${ID}`, { name: P, parent_id: `d${ID}`, kind: 'customer', contact: { name: P, email: EMAIL, phone: PHONE } });
    await put(`/api/v1/plants/p${ID}`, { tenant_id: `c${ID}`, name: P, lat: 1, lon: 2, timezone: 'UTC', capacity_kw: 10, country: P, city: P });
    await put(`/api/v1/devices/s${ID}`, { plant_id: `p${ID}`, kind: 'inverter', rated_power_w: 1000, model: P, datalogger_sn: P });
    // An id outside the pattern is refused by name; nothing is stored under it.
    const quoted = await raw(`/api/v1/tenants/${encodeURIComponent("a'--")}`, { name: 'x', parent_id: null, kind: 'distributor' });
    expect(quoted.statusCode).toBe(400);
    expect(quoted.json().message).toMatch(/id/);

    const created = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: `d${ID}`, name: P } });
    screen = created.json();
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/admin/screens/${screen.id}`, headers: t.root, payload: { name: P, settings: { mask_personal: false } } });
    expect(patched.statusCode, patched.body).toBeLessThan(300);

    const at = new Date(Date.now() - 60_000).toISOString();
    const batch = { batch_id: P, records: [record(`s${ID}`, at, 5, { status: 'fault', fault_code: P }), record(P, at, 1)] };
    const answer = await post(t.app, t.root.authorization, batch);
    expect(answer.json()).toEqual({ accepted: 1, duplicate: false, rejected: [{ index: 1, field: 'sn', reason: `unknown device "${P}"` }] });
    expect((await post(t.app, t.root.authorization, batch)).json()).toMatchObject({ accepted: 1, duplicate: true });

    // A batch_id that ends a quoted setting and starts a statement of its own stays a batch_id.
    const breakout = { batch_id: `x\\'; DROP TABLE plants; SELECT '`, records: [record(`s${ID}`, at, 6, { status: 'fault', fault_code: P })] };
    expect((await post(t.app, t.root.authorization, breakout)).json()).toMatchObject({ accepted: 1, duplicate: false });
    expect((await post(t.app, t.root.authorization, breakout)).json()).toMatchObject({ accepted: 1, duplicate: true });

    await t.restart();
    const bearer = { authorization: `Bearer ${screen.token}` };
    const get = async <T>(url: string) => {
      const r = await t.app.inject({ method: 'GET', url, headers: bearer });
      expect(r.statusCode, `${url}: ${r.body}`).toBe(200);
      return r.json() as T;
    };
    const snapshot = await get<Snapshot>(`/api/v1/screens/${screen.id}/snapshot`);
    expect(snapshot.tenant.name).toBe(P);
    expect(snapshot.plants.map((p) => p.name)).toEqual([P]);
    expect(snapshot.status).toMatchObject({ all: 1, fault: 1 });
    const plants = await get<{ rows: PlantRow[] }>(`/api/v1/screens/${screen.id}/plants?sort=name`);
    expect(plants.rows[0]).toMatchObject({ id: `p${ID}`, name: P, city: P, country: P, owner: P });
    const devices = await get<{ rows: DeviceRow[] }>(`/api/v1/screens/${screen.id}/devices`);
    expect(devices.rows[0]).toMatchObject({ sn: `s${ID}`, model: P, datalogger_sn: P, plant_name: P });
    const customers = await get<{ rows: CustomerRow[] }>(`/api/v1/screens/${screen.id}/customers`);
    expect(customers.rows[0]).toMatchObject({ id: `c${ID}`, name: P, email: EMAIL, phone: PHONE });
    const admin = await t.app.inject({ method: 'GET', url: `/api/v1/admin/tenants/d${ID}/screens`, headers: t.root });
    expect((admin.json() as { name: string }[]).map((s) => s.name)).toEqual([P]);
    const stored = await rows<{ batch_id: string; fault_code: string }>(t.store, 'SELECT batch_id, fault_code FROM telemetry ORDER BY e_today_kwh');
    expect(stored).toEqual([{ batch_id: P, fault_code: P }, { batch_id: breakout.batch_id, fault_code: P }]);
    expect(await tables()).toEqual(before);
  });

  it('refuses sort and order payloads by name and answers the list unchanged otherwise', async () => {
    for (const [query, field] of [
      [`sort=${encodeURIComponent('name; DROP TABLE plants')}`, 'sort'],
      [`sort=${encodeURIComponent("name' --")}`, 'sort'],
      [`sort=${encodeURIComponent('today_kwh DESC, (SELECT 1)')}`, 'sort'],
      [`order=${encodeURIComponent('desc; --')}`, 'order'],
      [`order=${encodeURIComponent("asc' /*")}`, 'order']
    ]) {
      for (const list of ['plants', 'devices', 'customers']) {
        const r = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${screen.id}/${list}?${query}`, headers: { authorization: `Bearer ${screen.token}` } });
        expect(r.statusCode, `${list}?${query}`).toBe(400);
        expect(r.json().field, `${list}?${query}`).toMatch(new RegExp(field));
      }
    }
    const [{ n }] = await rows<{ n: number }>(t.store, 'SELECT count() AS n FROM plants FINAL');
    expect(n).toBe(1);
  });
});
