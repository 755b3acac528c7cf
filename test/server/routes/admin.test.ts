// Admin accounts and the admin API on the real store: invitations, login sessions, roles,
// Origin checks, branding inherited down the tree, API keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../server/contract.ts';
import { asAdmin, invitedAdmin, ORIGIN, sessionCookie, type Admin } from '../../helpers/admin.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { registerFleet } from '../../helpers/fleet.ts';

let t: TestApp;
let owner: Admin;

beforeAll(async () => {
  t = await startTestApp();
  await registerFleet(t.app, t.root.authorization);
  owner = await invitedAdmin(t.app, t.root.authorization, 'dist', 'olga@sunrise.example', 'owner');
});
afterAll(() => t.close());

describe('sessions', () => {
  it('logs in with e-mail and password into an HttpOnly, SameSite=Strict cookie; logout ends it on the server', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { email: 'OLGA@sunrise.example', password: 'correct horse battery' } });
    expect(login.statusCode).toBe(200);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const session = asAdmin(t.app, sessionCookie(login.headers['set-cookie']), owner.userId);
    const me = await session.call({ method: 'GET', url: '/api/v1/auth/me' });
    expect(me.json()).toMatchObject({ user: { email: 'olga@sunrise.example' }, memberships: [{ tenant_id: 'dist', role: 'owner' }] });
    expect((await session.call({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    expect((await session.call({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });

  it('refuses a wrong password the same way as an unknown e-mail, and rate-limits login', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { email: 'olga@sunrise.example', password: 'nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { email: 'nobody@x.example', password: 'nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    let last = 0;
    for (let i = 0; i < 12; i++) {
      last = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { email: 'olga@sunrise.example', password: `guess-${i}` } })).statusCode;
    }
    expect(last).toBe(429);
  });

  it('refuses a state-changing request on a session cookie from another origin, whatever its type', async () => {
    const body = { title: 'Hijacked' };
    for (const origin of [undefined, 'https://evil.example', 'http://localhost:81']) {
      const answer = await t.app.inject({ method: 'PUT', url: '/api/v1/admin/tenants/dist/branding', headers: { cookie: owner.cookie, ...(origin ? { origin } : {}) }, payload: body });
      expect(answer.statusCode, String(origin)).toBe(403);
      expect(answer.json()).toMatchObject({ field: 'origin' });
    }
    expect((await owner.call({ method: 'GET', url: '/api/v1/admin/tenants/dist/branding' })).json()).toMatchObject({ own: { title: null } });
  });
});

describe('roles', () => {
  it('lets a viewer read but not change, and an admin not name an owner', async () => {
    const viewer = await invitedAdmin(t.app, t.root.authorization, 'inst', 'vic@kiwi.example', 'viewer');
    expect((await viewer.call({ method: 'GET', url: '/api/v1/admin/tenants/cust-nz/branding' })).statusCode).toBe(200);
    expect((await viewer.call({ method: 'PUT', url: '/api/v1/admin/tenants/inst/branding', payload: { title: 'x' } })).statusCode).toBe(403);
    expect((await viewer.call({ method: 'GET', url: '/api/v1/admin/tenants/inst/keys' })).statusCode).toBe(403);
    // A role on an installer does not reach its parent or siblings: those look missing.
    expect((await viewer.call({ method: 'GET', url: '/api/v1/admin/tenants/dist/branding' })).statusCode).toBe(404);
    expect((await viewer.call({ method: 'GET', url: '/api/v1/admin/tenants/cust-us/branding' })).statusCode).toBe(404);

    const admin = await invitedAdmin(t.app, t.root.authorization, 'dist', 'ada@sunrise.example', 'admin');
    expect((await admin.call({ method: 'POST', url: '/api/v1/admin/tenants/dist/members', payload: { email: 'x@y.example', role: 'owner' } })).statusCode).toBe(403);
    const invite = await admin.call({ method: 'POST', url: '/api/v1/admin/tenants/dist/members', payload: { email: 'vera@sunrise.example', role: 'viewer' } });
    expect(invite.statusCode).toBe(201);
    expect(invite.json()).toMatchObject({ invitation: { email: 'vera@sunrise.example', role: 'viewer', link: expect.stringMatching(/\/admin\/invite\/[\w-]{40,}$/) } });
  });

  it('hands ownership over: the previous owner becomes an admin', async () => {
    const heir = await invitedAdmin(t.app, t.root.authorization, 'dist', 'hana@sunrise.example', 'admin');
    expect((await heir.call({ method: 'POST', url: '/api/v1/admin/tenants/dist/owner', payload: { user_id: heir.userId } })).statusCode).toBe(403);
    expect((await owner.call({ method: 'POST', url: '/api/v1/admin/tenants/dist/owner', payload: { user_id: heir.userId } })).statusCode).toBe(204);
    const members = (await heir.call({ method: 'GET', url: '/api/v1/admin/tenants/dist/members' })).json() as { members: { email: string; role: string }[] };
    expect(members.members.filter((m) => m.role === 'owner').map((m) => m.email)).toEqual(['hana@sunrise.example']);
    expect(members.members.find((m) => m.email === 'olga@sunrise.example')?.role).toBe('admin');
    // Hand it back so the other tests keep an owner named Olga.
    await heir.call({ method: 'POST', url: '/api/v1/admin/tenants/dist/owner', payload: { user_id: owner.userId } });
  });
});

describe('branding', () => {
  const snapshotOf = async (tenantId: string): Promise<Snapshot> =>
    (await owner.call({ method: 'GET', url: `/api/v1/admin/tenants/${tenantId}/snapshot` })).json() as Snapshot;

  it('is inherited setting by setting down the tree, and a child may override', async () => {
    const put = await owner.call({ method: 'PUT', url: '/api/v1/admin/tenants/dist/branding', payload: { title: 'Sunrise Energy', accent_color: '#FF8800', theme: 'lobby', co2_factor: 0.5 } });
    expect(put.statusCode, put.body).toBe(200);
    expect((await snapshotOf('cust-nz')).tenant).toMatchObject({ title: 'Sunrise Energy', accent_color: '#ff8800', theme: 'lobby' });
    await owner.call({ method: 'PUT', url: '/api/v1/admin/tenants/cust-nz/branding', payload: { title: 'Auckland Farm Energy', language: 'zh-CN' } });
    const branding = (await owner.call({ method: 'GET', url: '/api/v1/admin/tenants/cust-nz/branding' })).json() as { effective: object; inherited_from: object };
    expect(branding.effective).toMatchObject({ title: 'Auckland Farm Energy', accent_color: '#ff8800', theme: 'lobby', co2_factor: 0.5, language: 'zh-CN', timezone: 'Pacific/Auckland' });
    expect(branding.inherited_from).toEqual({ accent_color: 'dist', theme: 'dist', co2_factor: 'dist' });
    // What its own title would fall back to, for the form's "inherit" switch.
    expect((branding as unknown as { inherits: { values: { title: string }; from: { title: string } } }).inherits).toMatchObject({ values: { title: 'Sunrise Energy' }, from: { title: 'dist' } });
    expect((await snapshotOf('inst')).tenant).toMatchObject({ title: 'Sunrise Energy', language: 'en' });
    // null hands a setting back to the parent.
    await owner.call({ method: 'PUT', url: '/api/v1/admin/tenants/cust-nz/branding', payload: { title: null } });
    expect((await snapshotOf('cust-nz')).tenant.title).toBe('Sunrise Energy');
  });

  it('names the field of a bad setting', async () => {
    for (const [payload, field] of [
      [{ accent_color: 'orange' }, 'accent_color'],
      [{ theme: 'neon' }, 'theme'],
      [{ co2_factor: -1 }, 'co2_factor'],
      [{ timezone: 'Mars/Base' }, 'timezone'],
      [{ favicon: 'x' }, 'favicon']
    ] as const) {
      const answer = await owner.call({ method: 'PUT', url: '/api/v1/admin/tenants/dist/branding', payload });
      expect(answer.statusCode).toBe(400);
      expect((answer.json() as { field: string }).field).toBe(field);
    }
  });
});

describe('API keys', () => {
  it('are listed without their secret and stop working the moment they are revoked', async () => {
    const created = await owner.call({ method: 'POST', url: '/api/v1/admin/tenants/inst/keys', payload: { label: 'datalogger gateway' } });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json() as { id: string; key: string };
    const list = await owner.call({ method: 'GET', url: '/api/v1/admin/tenants/inst/keys' });
    expect(list.body).not.toContain(key);
    expect(list.json()).toContainEqual(expect.objectContaining({ id, label: 'datalogger gateway', revoked: false }));
    const use = () => t.app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: { authorization: `Bearer ${key}` }, payload: { records: [] } });
    expect((await use()).statusCode).toBe(200);
    expect((await owner.call({ method: 'DELETE', url: `/api/v1/admin/keys/${id}` })).statusCode).toBe(204);
    expect((await use()).statusCode).toBe(401);
  });
});
