// Reports from /admin: plant list, device list and yield, as CSV and Excel, scoped to the
// caller's subtree; numbers as the rollups hold them; no formula injection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitedAdmin, type Admin } from '../../helpers/admin.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { post, record, registerFleet } from '../../helpers/fleet.ts';

let t: TestApp;
let owner: Admin;
const HOUR = 3_600_000;
const T0 = Math.floor((Date.now() - 22 * HOUR) / (24 * HOUR)) * 24 * HOUR + 22 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const localDate = (ms: number, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(ms);

beforeAll(async () => {
  t = await startTestApp({}, () => T0);
  await registerFleet(t.app, t.root.authorization);
  // A plant name that a spreadsheet would run as a formula.
  await t.app.inject({ method: 'PUT', url: '/api/v1/plants/p-hnl', headers: t.root, payload: { tenant_id: 'cust-us', name: '=HYPERLINK("http://evil.example","x")', lat: 21.31, lon: -157.86, timezone: 'Pacific/Honolulu', capacity_kw: 50 } });
  await post(t.app, t.root.authorization, {
    records: [
      record('AKL-1', iso(T0 - 10 * 60_000), 30),
      record('AKL-1', iso(T0 - 24 * HOUR), 25),
      record('HNL-1', iso(T0 - 10 * 60_000), 12)
    ]
  });
  owner = await invitedAdmin(t.app, t.root.authorization, 'dist', 'olga@sunrise.example', 'owner');
});
afterAll(() => t.close());

const parse = (csv: string) => csv.replace(/^\ufeff/, '').trim().split('\r\n').map((line) => line.split(','));

describe('exports', () => {
  it('gives the plant list as CSV with formula-like text neutralised', async () => {
    const answer = await owner.call({ method: 'GET', url: '/api/v1/admin/tenants/dist/exports/plants.csv' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/csv/);
    expect(answer.headers['content-disposition']).toMatch(/attachment; filename="dist-plants-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(answer.headers['x-total-rows']).toBe('2');
    expect(answer.body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    const lines = parse(answer.body);
    expect(lines[0].slice(0, 3)).toEqual(['Plant ID', 'Plant', 'Owner']);
  });

  it('gives yield by day for chosen plants, matching the rollups', async () => {
    const answer = await owner.call({ method: 'GET', url: '/api/v1/admin/tenants/dist/exports/yield.csv?grain=day&plants=p-akl' });
    expect(answer.statusCode).toBe(200);
    const lines = parse(answer.body).slice(1);
    expect(lines).toEqual([
      [localDate(T0 - 24 * HOUR, 'Pacific/Auckland'), 'p-akl', 'Auckland PV', '25'],
      [localDate(T0, 'Pacific/Auckland'), 'p-akl', 'Auckland PV', '30']
    ]);
  });

  it('gives the same reports as Excel files', async () => {
    for (const file of ['plants.xlsx', 'devices.xlsx', 'yield.xlsx?grain=year']) {
      const answer = await owner.call({ method: 'GET', url: `/api/v1/admin/tenants/dist/exports/${file}` });
      expect(answer.statusCode, file).toBe(200);
      expect(answer.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(answer.rawPayload.subarray(0, 2).toString()).toBe('PK');
    }
  });

  it('keeps exports inside the caller subtree and names bad input', async () => {
    const viewer = await invitedAdmin(t.app, t.root.authorization, 'cust-us', 'vic@roofs.example', 'viewer');
    const mine = await viewer.call({ method: 'GET', url: '/api/v1/admin/tenants/cust-us/exports/devices.csv' });
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('HNL-1');
    expect(mine.body).not.toContain('AKL-1');
    expect((await viewer.call({ method: 'GET', url: '/api/v1/admin/tenants/cust-us/exports/yield.csv?plants=p-akl' })).statusCode).toBe(404);
    expect((await viewer.call({ method: 'GET', url: '/api/v1/admin/tenants/dist/exports/plants.csv' })).statusCode).toBe(404);
    expect((await owner.call({ method: 'GET', url: '/api/v1/admin/tenants/dist/exports/secrets.csv' })).statusCode).toBe(404);
    const backwards = await owner.call({ method: 'GET', url: '/api/v1/admin/tenants/dist/exports/yield.csv?from=2026-02-01&to=2026-01-01' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ field: 'from' });
  });
});
