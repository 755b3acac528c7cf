// The registry, keys and screens over HTTP: field-level 4xx answers, all-or-nothing bulk
// upserts, and a tenant key confined to its subtree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { fleet, registerFleet } from '../../helpers/fleet.ts';

let t: TestApp;
const put = (url: string, payload: object, authorization = t.root.authorization) =>
  t.app.inject({ method: 'PUT', url, headers: { authorization }, payload });

beforeAll(async () => {
  t = await startTestApp();
  await registerFleet(t.app, t.root.authorization);
});
afterAll(() => t.close());

describe('authentication', () => {
  it('answers 401 without a key or with a wrong one', async () => {
    const none = await t.app.inject({ method: 'PUT', url: '/api/v1/tenants/x', payload: { name: 'X', parent_id: null, kind: 'distributor' } });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ field: 'authorization' });
    expect((await put('/api/v1/tenants/x', { name: 'X', parent_id: null, kind: 'distributor' }, 'Bearer nope')).statusCode).toBe(401);
  });

  it('lets a screen token read its snapshot but not write', async () => {
    const screen = (await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'inst', name: 'Ops' } })).json() as { id: string; token: string; url: string };
    // The URL pairs one browser with a one-time code; the token never appears in it.
    expect(screen.url).toMatch(/^http:\/\/[^/]+\/pair\/[\w-]{40,}$/);
    expect(screen.url).not.toContain(screen.token);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${screen.id}/snapshot`, headers: { authorization: `Bearer ${screen.token}` } });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ tenant: { id: 'inst' }, plants: [{ id: 'p-akl' }] });
    const write = await put('/api/v1/tenants/inst', { name: 'Mine now', parent_id: 'dist', kind: 'installer' }, `Bearer ${screen.token}`);
    expect(write.statusCode).toBe(403);
  });
});

describe('validation', () => {
  it('names the field of a bad body', async () => {
    const cases: [string, object, string][] = [
      ['/api/v1/plants/p1', { ...fleet.plants[0], id: undefined, lat: 91 }, 'lat'],
      ['/api/v1/plants/p1', { ...fleet.plants[0], id: undefined, timezone: 'Moon/Base' }, 'timezone'],
      ['/api/v1/plants/p1', { ...fleet.plants[0], id: undefined, colour: 'red' }, 'colour'],
      ['/api/v1/tenants/t1', { parent_id: null, kind: 'distributor' }, 'name'],
      ['/api/v1/tenants/t1', { name: 'T', parent_id: null, kind: 'wholesaler' }, 'kind'],
      ['/api/v1/devices/d1', { plant_id: 'p-akl', kind: 'inverter', rated_power_w: 'lots' }, 'rated_power_w'],
      ['/api/v1/plants/p1', { ...fleet.plants[0], id: undefined, built_on: '2026-02-30' }, 'built_on']
    ];
    for (const [url, payload, field] of cases) {
      const answer = await put(url, payload);
      expect(answer.statusCode, `${url} ${field}`).toBe(400);
      expect((answer.json() as { field: string }).field).toBe(field);
    }
  });

  it('answers 404 for a reference to nothing', async () => {
    const answer = await put('/api/v1/devices/d1', { plant_id: 'no-such-plant', kind: 'inverter', rated_power_w: 1000 });
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toMatchObject({ field: 'plant_id' });
  });

  it('stores nothing of a bulk upsert with one bad item', async () => {
    const answer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/registry',
      headers: t.root,
      payload: {
        plants: [{ ...fleet.plants[0], id: 'p-new', name: 'New' }],
        devices: [
          { sn: 'NEW-1', plant_id: 'p-new', kind: 'inverter', rated_power_w: 1000 },
          { sn: 'NEW-2', plant_id: 'p-missing', kind: 'inverter', rated_power_w: 1000 }
        ]
      }
    });
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toMatchObject({ field: 'devices[1].plant_id' });
    expect(t.app.registry.tree.plants.has('p-new')).toBe(false);
    expect(t.app.registry.tree.devices.has('NEW-1')).toBe(false);
  });

  it('refuses a tenant tree with a cycle', async () => {
    const answer = await put('/api/v1/tenants/dist', { name: 'Loop', parent_id: 'cust-nz', kind: 'distributor' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ field: 'parent_id' });
  });
});

describe('tenant keys', () => {
  it('act on their own subtree only; other ids look missing', async () => {
    await t.app.inject({ method: 'PUT', url: '/api/v1/tenants/rival', headers: t.root, payload: { name: 'Rival', parent_id: null, kind: 'distributor' } });
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/keys', headers: t.root, payload: { tenant_id: 'inst' } });
    expect(created.statusCode).toBe(201);
    const key = `Bearer ${(created.json() as { key: string }).key}`;

    expect((await put('/api/v1/tenants/cust-new', { name: 'New customer', parent_id: 'inst', kind: 'customer' }, key)).statusCode).toBe(200);
    expect((await put('/api/v1/tenants/cust-bad', { name: 'Sneaky', parent_id: 'rival', kind: 'customer' }, key)).statusCode).toBe(404);
    expect((await put('/api/v1/tenants/top', { name: 'Top', parent_id: null, kind: 'distributor' }, key)).statusCode).toBe(403);
    const screenElsewhere = await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: { authorization: key }, payload: { tenant_id: 'rival', name: 'x' } });
    expect(screenElsewhere.statusCode).toBe(404);
    const keyElsewhere = await t.app.inject({ method: 'POST', url: '/api/v1/keys', headers: { authorization: key }, payload: { tenant_id: 'dist' } });
    expect(keyElsewhere.statusCode).toBe(404);

    const rivalScreen = (await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: t.root, payload: { tenant_id: 'rival', name: 'Lobby' } })).json() as { id: string };
    const peek = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${rivalScreen.id}/snapshot`, headers: { authorization: key } });
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/screens/scr_nothing/snapshot', headers: { authorization: key } });
    expect(peek.statusCode).toBe(404);
    expect(peek.json()).toEqual({ ...(missing.json() as object), message: (peek.json() as { message: string }).message });

    // Telemetry for a device outside the key's subtree is rejected as an unknown device.
    await t.app.inject({ method: 'POST', url: '/api/v1/registry', headers: t.root, payload: { plants: [{ id: 'p-r', tenant_id: 'rival', name: 'R', lat: 1, lon: 1, timezone: 'UTC', capacity_kw: 1 }], devices: [{ sn: 'R-1', plant_id: 'p-r', kind: 'inverter', rated_power_w: 1 }] } });
    const foreign = await t.app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: { authorization: key }, payload: { records: [{ sn: 'R-1', ts: Math.floor(Date.now() / 1000), status: 'normal', power_w: 1, e_today_kwh: 1 }] } });
    expect(foreign.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0, field: 'sn' }] });
  });
});
