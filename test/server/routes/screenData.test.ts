// The data behind the wall's modes: list pages sorted from an allow-list, one plant with its
// power flow, a map region's figures, alarms as devices fault and recover, masking of customers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerRow, DeviceRow, Page, PlantDetail, PlantRow, RegionStats, Snapshot } from '../../../server/contract.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { post, record, registerFleet } from '../../helpers/fleet.ts';

let t: TestApp;
let screen: { id: string; token: string };
const HOUR = 3_600_000;
// 22:00 UTC: both plants mid-day (see ingest.test.ts).
const T0 = Math.floor((Date.now() - 22 * HOUR) / (24 * HOUR)) * 24 * HOUR + 22 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

async function get<T>(url: string, token = screen.token): Promise<T> {
  const answer = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  expect(answer.statusCode, `${url}: ${answer.body}`).toBe(200);
  return answer.json() as T;
}

beforeAll(async () => {
  t = await startTestApp({}, () => T0);
  await registerFleet(t.app, t.root.authorization);
  await t.app.inject({
    method: 'PUT',
    url: '/api/v1/tenants/cust-nz',
    headers: t.root,
    payload: { name: 'Auckland Farm', parent_id: 'inst', kind: 'customer', timezone: 'Pacific/Auckland', contact: { name: 'Aroha Ngata', email: 'aroha@farm.example', phone: '+64 21 555 0199' } }
  });
  await post(t.app, t.root.authorization, {
    records: [
      record('AKL-1', iso(T0 - 10 * 60_000), 30, { power_w: 20_000, e_total_kwh: 5000 }),
      record('AKL-2', iso(T0 - 10 * 60_000), 10, { power_w: 8_000 }),
      record('AKL-3', iso(T0 - 5 * 60_000), 4, { power_w: 6_000, battery: { soc: 64, power_w: 2_500 }, grid_power_w: -1_200, load_power_w: 2_300 }),
      record('AKL-4', iso(T0 - 5 * 60_000), 2, { power_w: 7_000 }),
      record('HNL-1', iso(T0 - 5 * 60_000), 50, { power_w: 30_000 })
    ]
  });
  screen = (await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Lists' } })).json() as { id: string; token: string };
});
afterAll(() => t.close());

describe('list modes', () => {
  it('pages plants sorted by a chosen column', async () => {
    const byToday = await get<Page<PlantRow>>(`/api/v1/screens/${screen.id}/plants?sort=today_kwh&order=desc&limit=1`);
    expect(byToday.total).toBe(2);
    expect(byToday.rows).toEqual([expect.objectContaining({ id: 'p-hnl', today_kwh: 50, devices: 1, status: 'normal' })]);
    const second = await get<Page<PlantRow>>(`/api/v1/screens/${screen.id}/plants?sort=today_kwh&order=desc&limit=1&offset=1`);
    expect(second.rows[0]).toMatchObject({ id: 'p-akl', today_kwh: 46, power_w: 41_000, devices: 4 });
    const byName = await get<Page<PlantRow>>(`/api/v1/screens/${screen.id}/plants?sort=name`);
    expect(byName.rows.map((r) => r.name)).toEqual(['Auckland PV', 'Honolulu PV']);
  });

  it('refuses a sort column that is not on the list', async () => {
    for (const sort of ['password', 'name; DROP TABLE telemetry', '__proto__']) {
      const answer = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${screen.id}/plants?sort=${encodeURIComponent(sort)}`, headers: { authorization: `Bearer ${screen.token}` } });
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ field: 'sort' });
    }
  });

  it('lists devices with today, this month, total and last update', async () => {
    const devices = await get<Page<DeviceRow>>(`/api/v1/screens/${screen.id}/devices?sort=sn&order=asc`);
    expect(devices.rows.map((d) => d.sn)).toEqual(['AKL-1', 'AKL-2', 'AKL-3', 'AKL-4', 'HNL-1']);
    expect(devices.rows[0]).toMatchObject({ today_kwh: 30, month_kwh: 30, total_kwh: 5000, power_w: 20_000, kind: 'inverter', last_update: iso(T0 - 10 * 60_000) });
  });

  it('masks customers unless the screen allows personal data', async () => {
    const masked = await get<Page<CustomerRow>>(`/api/v1/screens/${screen.id}/customers?sort=name`);
    const aroha = masked.rows.find((c) => c.id === 'cust-nz')!;
    expect(aroha).toMatchObject({ name: 'A*** N***', email: 'a***@farm.example', plants: 1, devices: 4, today_kwh: 46 });
    expect(aroha.phone).toMatch(/^\+64 \*\*\* \*\*99$/);
    expect(JSON.stringify(masked)).not.toMatch(/Aroha|aroha@|0199/);
    const plants = await get<Page<PlantRow>>(`/api/v1/screens/${screen.id}/plants?sort=name`);
    expect(plants.rows[0].owner).toBe('A*** N***');

    const open = (await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'dist', name: 'Back office' } })).json() as { id: string; token: string };
    await t.app.credentials.writeScreen({ ...t.app.credentials.screens.get(open.id)!, settings: { ...t.app.credentials.screens.get(open.id)!.settings, mask_personal: false } });
    const shown = await get<Page<CustomerRow>>(`/api/v1/screens/${open.id}/customers?sort=name`, open.token);
    expect(shown.rows.find((c) => c.id === 'cust-nz')).toMatchObject({ name: 'Aroha Ngata', email: 'aroha@farm.example', phone: '+64 21 555 0199' });
  });
});

describe('plant mode', () => {
  it('shows a plant with its devices and where its power flows', async () => {
    const detail = await get<PlantDetail>(`/api/v1/screens/${screen.id}/plants/p-akl`);
    expect(detail.plant).toMatchObject({ id: 'p-akl', timezone: 'Pacific/Auckland', lat: -36.85 });
    expect(detail.devices).toHaveLength(4);
    // PV: the three non-charger devices; battery charging, exporting to the grid.
    expect(detail.flow).toEqual({ pv_w: 34_000, battery_w: 2_500, battery_soc: 64, grid_w: -1_200, load_w: 2_300 });
    expect(detail.charging).toEqual({ power_w: 7_000, solar_w: 7_000 });
    expect(detail.today.at(-1)?.t).toBe(new Date(Math.floor(T0 / 300_000) * 300_000).toISOString());
  });

  it('answers 404 for a plant outside the screen', async () => {
    const other = (await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'cust-us', name: 'HNL' } })).json() as { id: string; token: string };
    const answer = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${other.id}/plants/p-akl`, headers: { authorization: `Bearer ${other.token}` } });
    expect(answer.statusCode).toBe(404);
    const wrongScreen = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${screen.id}/plants`, headers: { authorization: `Bearer ${other.token}` } });
    expect(wrongScreen.statusCode).toBe(404);
  });
});

describe('map regions', () => {
  it('sums the plants inside a viewport, also across the date line', async () => {
    const auckland = await get<RegionStats>(`/api/v1/screens/${screen.id}/region?west=170&south=-40&east=178&north=-30`);
    expect(auckland).toMatchObject({ plants: 1, power_w: 41_000, today_kwh: 46 });
    expect(auckland.days).toHaveLength(7);
    expect(auckland.years.map((y) => y.year)).toHaveLength(5);
    const pacific = await get<RegionStats>(`/api/v1/screens/${screen.id}/region?west=170&south=-50&east=-150&north=30`);
    expect(pacific).toMatchObject({ plants: 2, power_w: 71_000, today_kwh: 96 });
    const atlantic = await get<RegionStats>(`/api/v1/screens/${screen.id}/region?west=-60&south=-50&east=0&north=50`);
    expect(atlantic).toMatchObject({ plants: 0, power_w: 0, today_kwh: 0 });
    const bad = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${screen.id}/region?west=x&south=0&east=1&north=1`, headers: { authorization: `Bearer ${screen.token}` } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('alarms and equivalents', () => {
  it('raises an alarm when a device faults and another when it comes back, newest first', async () => {
    await post(t.app, t.root.authorization, { records: [record('AKL-2', iso(T0 - 4 * 60_000), 10, { status: 'fault', fault_code: 'F07 grid overvoltage', power_w: 0 })] });
    await post(t.app, t.root.authorization, { records: [record('AKL-2', iso(T0 - 2 * 60_000), 10, { status: 'normal', power_w: 8_000 })] });
    const snapshot = await get<Snapshot>(`/api/v1/screens/${screen.id}/snapshot`);
    expect(snapshot.alarms?.slice(0, 2)).toEqual([
      { at: iso(T0 - 2 * 60_000), sn: 'AKL-2', plant_id: 'p-akl', plant_name: 'Auckland PV', kind: 'cleared', fault_code: 'F07 grid overvoltage' },
      { at: iso(T0 - 4 * 60_000), sn: 'AKL-2', plant_id: 'p-akl', plant_name: 'Auckland PV', kind: 'fault', fault_code: 'F07 grid overvoltage' }
    ]);
    const top = await get<{ plants: PlantRow[] }>(`/api/v1/screens/${screen.id}/top-plants?by=newest_faults`);
    expect(top.plants.map((p) => p.id)).toEqual(['p-akl']);
  });

  it('gives trees planted and coal saved from the tenant factors', async () => {
    const snapshot = await get<Snapshot>(`/api/v1/screens/${screen.id}/snapshot`);
    expect(snapshot.kpi.coal_saved_kg).toBeCloseTo(snapshot.kpi.total_kwh * 0.4, 3);
    expect(snapshot.kpi.trees_planted).toBe(Math.round((snapshot.kpi.total_kwh * 0.475) / 18.3));
  });
});
