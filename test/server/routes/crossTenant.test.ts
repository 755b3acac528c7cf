// Two distributor trees. Every route and socket is replayed with the other tree's ids, keys,
// cookies and tokens: nothing crosses, and a foreign id answers exactly as a missing one.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents, Snapshot } from '../../../server/contract.ts';
import { asAdmin, invitedAdmin, ORIGIN, sessionCookie, type Admin } from '../../helpers/admin.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { post, record, registerFleet } from '../../helpers/fleet.ts';

let t: TestApp;
let base: string;
let alice: Admin; // owner of dist
let bob: Admin; // owner of rival
let aliceKey: string;
const rival = { screenId: '', screenToken: '', keyId: '', userId: '' };
const sockets: Socket[] = [];

beforeAll(async () => {
  t = await startTestApp();
  await registerFleet(t.app, t.root.authorization);
  const registry = await t.app.inject({
    method: 'POST',
    url: '/api/v1/registry',
    headers: t.root,
    payload: {
      tenants: [
        { id: 'rival', name: 'Rival Solar', parent_id: null, kind: 'distributor', timezone: 'Europe/Madrid' },
        { id: 'rival-inst', name: 'Rival Installers', parent_id: 'rival', kind: 'installer' },
        { id: 'rival-cust', name: 'Rival Customer', parent_id: 'rival-inst', kind: 'customer', contact: { name: 'R. Customer', email: 'r@rival.example', phone: '+34 600 000 000' } }
      ],
      plants: [{ id: 'p-rival', tenant_id: 'rival-cust', name: 'Rival PV', lat: 40.4, lon: -3.7, timezone: 'Europe/Madrid', capacity_kw: 80 }],
      devices: [{ sn: 'RIV-1', plant_id: 'p-rival', kind: 'inverter', rated_power_w: 80000 }]
    }
  });
  expect(registry.statusCode).toBe(200);
  alice = await invitedAdmin(t.app, t.root.authorization, 'dist', 'alice@sunrise.example', 'owner');
  bob = await invitedAdmin(t.app, t.root.authorization, 'rival', 'bob@rival.example', 'owner');
  aliceKey = ((await alice.call({ method: 'POST', url: '/api/v1/admin/tenants/dist/keys', payload: { label: 'a' } })).json() as { key: string }).key;
  const screen = (await bob.call({ method: 'POST', url: '/api/v1/admin/tenants/rival/screens', payload: { name: 'Rival lobby' } })).json() as { id: string; token: string };
  rival.screenId = screen.id;
  rival.screenToken = screen.token;
  rival.keyId = ((await bob.call({ method: 'POST', url: '/api/v1/admin/tenants/rival/keys', payload: { label: 'b' } })).json() as { id: string }).id;
  rival.userId = bob.userId;
  await post(t.app, t.root.authorization, { records: [record('RIV-1', new Date(Date.now() - 60_000).toISOString(), 42, { power_w: 31_337 })] });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t.close();
});

/** Every admin route, with the ids of a tree: a tenant, a screen, a key and a member. */
function adminRoutes(ids: { tenant: string; screen: string; key: string; user: string }) {
  const T = `/api/v1/admin/tenants/${ids.tenant}`;
  return [
    ['GET', T, undefined],
    ['GET', `${T}/snapshot`, undefined],
    ['GET', `${T}/branding`, undefined],
    ['PUT', `${T}/branding`, { title: 'pwned' }],
    ['DELETE', `${T}/logo`, undefined],
    ['GET', `${T}/screens`, undefined],
    ['POST', `${T}/screens`, { name: 'spy' }],
    ['GET', `${T}/keys`, undefined],
    ['POST', `${T}/keys`, { label: 'spy' }],
    ['GET', `${T}/members`, undefined],
    ['POST', `${T}/members`, { email: 'spy@x.example', role: 'admin' }],
    ['PATCH', `${T}/members/${ids.user}`, { role: 'viewer' }],
    ['DELETE', `${T}/members/${ids.user}`, undefined],
    ['POST', `${T}/owner`, { user_id: ids.user }],
    ['PATCH', `/api/v1/admin/screens/${ids.screen}`, { name: 'spy' }],
    ['POST', `/api/v1/admin/screens/${ids.screen}/pairing`, undefined],
    ['DELETE', `/api/v1/admin/screens/${ids.screen}`, undefined],
    ['DELETE', `/api/v1/admin/keys/${ids.key}`, undefined]
  ] as const;
}

describe('across tenant trees', () => {
  it("answers every admin route with the other tree's ids exactly as with missing ones", async () => {
    const foreign = adminRoutes({ tenant: 'rival', screen: rival.screenId, key: rival.keyId, user: rival.userId });
    const missing = adminRoutes({ tenant: 'nope', screen: 'scr_nope', key: 'key_nope', user: 'usr_nope' });
    for (const [i, [method, url, payload]] of foreign.entries()) {
      for (const [who, call] of [
        ['alice (session)', (o: object) => alice.call(o as never)],
        ['alice (key)', (o: object) => t.app.inject({ ...(o as object), headers: { authorization: `Bearer ${aliceKey}` } } as never)]
      ] as const) {
        const a = await call({ method, url, payload });
        const b = await call({ method, url: missing[i][1], payload });
        expect(a.statusCode, `${who} ${method} ${url}`).toBe(404);
        expect(b.statusCode, `${who} ${method} ${missing[i][1]}`).toBe(404);
        expect((a.json() as { field: string }).field).toBe((b.json() as { field: string }).field);
      }
    }
    // And nothing changed on the other side.
    const branding = (await bob.call({ method: 'GET', url: '/api/v1/admin/tenants/rival/branding' })).json() as { own: { title: string | null } };
    expect(branding.own.title).toBeNull();
    const screens = (await bob.call({ method: 'GET', url: '/api/v1/admin/tenants/rival/screens' })).json() as { name: string; revoked: boolean }[];
    expect(screens).toEqual([expect.objectContaining({ name: 'Rival lobby', revoked: false })]);
  });

  it("refuses the machine API with the other tree's ids", async () => {
    const key = { authorization: `Bearer ${aliceKey}` };
    const screenSnapshot = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${rival.screenId}/snapshot`, headers: key });
    const missingSnapshot = await t.app.inject({ method: 'GET', url: '/api/v1/screens/scr_nope/snapshot', headers: key });
    expect(screenSnapshot.statusCode).toBe(404);
    expect((screenSnapshot.json() as { field: string }).field).toBe((missingSnapshot.json() as { field: string }).field);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/screens', headers: key, payload: { tenant_id: 'rival', name: 'x' } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/keys', headers: key, payload: { tenant_id: 'rival' } })).statusCode).toBe(404);
    const telemetry = await t.app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: key, payload: { records: [record('RIV-1', new Date().toISOString(), 99)] } });
    expect(telemetry.json()).toMatchObject({ accepted: 0, rejected: [{ field: 'sn' }] });
    const plant = await t.app.inject({ method: 'PUT', url: '/api/v1/plants/p-rival', headers: key, payload: { tenant_id: 'cust-nz', name: 'Stolen', lat: 0, lon: 0, timezone: 'UTC', capacity_kw: 1 } });
    expect(plant.statusCode).toBe(409);
    expect(t.app.registry.tree.plants.get('p-rival')?.tenant_id).toBe('rival-cust');
  });

  it("does not let one tree's session, cookie or token see the other's screen", async () => {
    // A rival screen token read with alice's session cookie: the token wins nothing on admin routes.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/tenants/rival', headers: { authorization: `Bearer ${rival.screenToken}` } })).statusCode).toBe(403);
    // Alice's admin session is no screen: sockets refuse it.
    const socket = connect(base, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: alice.cookie, origin: base } });
    sockets.push(socket);
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toBe('unauthorized');
  });

  it('shows each screen only its own tree, in every event', async () => {
    const aliceScreen = (await alice.call({ method: 'POST', url: '/api/v1/admin/tenants/dist/screens', payload: { name: 'Sunrise lobby' } })).json() as { url: string };
    const paired = await t.app.inject({ method: 'GET', url: new URL(aliceScreen.url).pathname });
    const cookie = sessionCookie(paired.headers['set-cookie'], 'fw_screen');
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(base, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: base } });
    sockets.push(socket as Socket);
    const seen: string[] = [];
    socket.onAny((_event, payload) => seen.push(JSON.stringify(payload)));
    const snapshot = await new Promise<Snapshot>((resolve) => socket.once('snapshot', resolve));
    expect(snapshot.plants.map((p) => p.id).sort()).toEqual(['p-akl', 'p-hnl']);
    await post(t.app, t.root.authorization, { records: [record('RIV-1', new Date(Date.now() - 30_000).toISOString(), 43, { power_w: 27_182 })] });
    await bob.call({ method: 'PUT', url: '/api/v1/admin/tenants/rival/branding', payload: { title: 'Rival Energy' } });
    await new Promise((r) => setTimeout(r, 2500));
    const everything = seen.join('\n');
    for (const secret of ['rival', 'Rival', 'RIV-1', 'p-rival', '31337', '27182']) expect(everything).not.toContain(secret);
  });
});

describe('moving between trees', () => {
  it('moves what open screens see, live, when a plant changes owner', async () => {
    const open = async (tenant: string, admin: Admin) => {
      const created = (await admin.call({ method: 'POST', url: `/api/v1/admin/tenants/${tenant}/screens`, payload: { name: 'mover' } })).json() as { url: string };
      const paired = await t.app.inject({ method: 'GET', url: new URL(created.url).pathname });
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(base, {
        transports: ['websocket'], reconnection: false, forceNew: true,
        extraHeaders: { cookie: sessionCookie(paired.headers['set-cookie'], 'fw_screen'), origin: base }
      });
      sockets.push(socket as Socket);
      let plants: string[] = [];
      socket.on('snapshot', (s) => (plants = s.plants.map((p) => p.id)));
      socket.on('delta', (d) => {
        for (const p of d.plants ?? []) if (!plants.includes(p.id)) plants.push(p.id);
      });
      await new Promise((resolve) => socket.once('snapshot', resolve));
      return () => plants;
    };
    const sunrise = await open('dist', alice);
    const rivalWall = await open('rival', bob);
    expect(sunrise()).toContain('p-hnl');
    const moved = await t.app.inject({ method: 'PUT', url: '/api/v1/plants/p-hnl', headers: t.root, payload: { tenant_id: 'rival-cust', name: 'Honolulu PV', lat: 21.31, lon: -157.86, timezone: 'Pacific/Honolulu', capacity_kw: 50 } });
    expect(moved.statusCode).toBe(200);
    await expect.poll(rivalWall, { timeout: 5000 }).toContain('p-hnl');
    await expect.poll(sunrise, { timeout: 5000 }).toEqual(['p-akl']);
    const snapshot = (await alice.call({ method: 'GET', url: '/api/v1/admin/tenants/dist/snapshot' })).json() as Snapshot;
    expect(snapshot.plants.map((p) => p.id)).toEqual(['p-akl']);
  });
});

describe('logins do not cross', () => {
  it("keeps one tree's admin out of the other with a valid password", async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { email: 'bob@rival.example', password: 'correct horse battery' } });
    const bobAgain = asAdmin(t.app, sessionCookie(login.headers['set-cookie']), bob.userId);
    const me = (await bobAgain.call({ method: 'GET', url: '/api/v1/auth/me' })).json() as { memberships: { tenant_id: string }[] };
    expect(me.memberships.map((m) => m.tenant_id)).toEqual(['rival']);
    expect((await bobAgain.call({ method: 'GET', url: '/api/v1/admin/tenants/cust-nz/snapshot' })).statusCode).toBe(404);
  });
});
