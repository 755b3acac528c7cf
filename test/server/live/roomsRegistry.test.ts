// Rooms follow the registry: a plant that moves to another customer leaves one room (whose screens
// get a whole snapshot, since a delta cannot remove a plant) and joins the other (whose screens get
// it in a delta), with counts, power and energy moving along; a rebrand resyncs the room.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta } from '../../../server/contract.ts';
import { LiveRooms } from '../../../server/live/rooms.ts';
import { buildSnapshot } from '../../../server/live/view.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { fleet, post, record, registerFleet } from '../../helpers/fleet.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await registerFleet(t.app, t.root.authorization);
  const ts = new Date(Date.now() - 60_000).toISOString();
  const response = await post(t.app, t.root.authorization, { records: [record('AKL-1', ts, 12, { power_w: 3000 }), record('HNL-1', ts, 5, { power_w: 2000 })] });
  expect(response.json()).toMatchObject({ accepted: 2 });
});

afterAll(async () => {
  await t.close();
});

describe('rooms and the registry', () => {
  it('resyncs the room a plant leaves and tells the room it joins', async () => {
    const rooms = new LiveRooms(t.app.registry, t.app.live, t.app.branding);
    const now = Date.now();
    expect(rooms.snapshot('cust-nz', now).plants.map((p) => p.id)).toEqual(['p-akl']);
    expect(rooms.snapshot('cust-us', now).kpi.power_w).toBe(2000);
    expect(rooms.snapshot('dist', now).status.all).toBe(5);

    const akl = fleet.plants.find((p) => p.id === 'p-akl')!;
    const { id, ...body } = { ...akl, tenant_id: 'cust-us' };
    const moved = await t.app.inject({ method: 'PUT', url: `/api/v1/plants/${id}`, headers: t.root, payload: body });
    expect(moved.statusCode).toBeLessThan(300);

    const later = now + 1000;
    expect(rooms.update('cust-nz', later)).toBe('resync');
    const left = rooms.snapshot('cust-nz', later);
    expect(left.plants).toEqual([]);
    expect(left.status.all).toBe(0);
    expect(left.kpi.power_w).toBe(0);

    const joined = rooms.update('cust-us', later) as Delta;
    expect(joined.plants?.map((p) => p.id)).toEqual(['p-akl']);
    expect(joined.kpi?.power_w).toBe(5000);
    expect(joined.status?.all).toBe(5);
    // The distributor's room holds both customers: the plant stays, nothing to resync.
    expect(rooms.update('dist', later)).not.toBe('resync');
    for (const tenant of ['cust-nz', 'cust-us', 'dist']) expect(rooms.snapshot(tenant, later)).toEqual(buildSnapshot(t.app.registry, t.app.live, tenant, later, t.app.branding));
  });

  it("resyncs a room when its tenant's branding changes what the header shows, and only the co2 figure when the factor changes", async () => {
    const rooms = new LiveRooms(t.app.registry, t.app.live, t.app.branding);
    const now = Date.now();
    const before = rooms.snapshot('dist', now);
    const own = { title: null, logo_hash: null, accent_color: null, theme: null, co2_factor: null, tree_co2_kg: null, coal_kg_per_kwh: null, language: null };
    await t.app.branding.put('dist', { ...own, title: 'Sunrise Wall' });
    expect(rooms.update('dist', now + 1000)).toBe('resync');
    expect(rooms.snapshot('dist', now + 1000).tenant.title).toBe('Sunrise Wall');
    await t.app.branding.put('dist', { ...own, title: 'Sunrise Wall', co2_factor: 1 });
    const delta = rooms.update('dist', now + 2000) as Delta;
    expect(delta.kpi?.co2_avoided_kg).toBe(delta.kpi?.total_kwh);
    expect(before.kpi.total_kwh).toBeGreaterThan(0);
    expect(delta.kpi?.co2_avoided_kg).not.toBe(before.kpi.co2_avoided_kg);
    expect(delta.plants).toBeUndefined();
  });
});
