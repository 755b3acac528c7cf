// Pairing a wall: a one-time code becomes an HttpOnly cookie bound to the screen; the socket
// accepts that cookie only from our own pages; revoking disconnects it; a restart keeps it.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ScreenInfo, ServerToClientEvents, Snapshot } from '../../../server/contract.ts';
import { invitedAdmin, sessionCookie, type Admin } from '../../helpers/admin.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { registerFleet } from '../../helpers/fleet.ts';

type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
let t: TestApp;
let owner: Admin;
let base: string;
const sockets: WallSocket[] = [];

function wall(headers: Record<string, string>, auth: Record<string, string> = {}): WallSocket {
  const socket: WallSocket = connect(base, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: headers, auth });
  sockets.push(socket);
  return socket;
}
const first = <E extends keyof ServerToClientEvents | 'connect_error' | 'disconnect'>(socket: WallSocket, event: E, ms = 5000) =>
  new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event}`)), ms);
    (socket as unknown as { once(e: string, f: (x: unknown) => void): void }).once(event, (x) => {
      clearTimeout(timer);
      resolve(x);
    });
  });

async function pairedCookie(url: string): Promise<{ cookie: string; location: string }> {
  const answer = await t.app.inject({ method: 'GET', url: new URL(url).pathname });
  expect(answer.statusCode).toBe(303);
  return { cookie: sessionCookie(answer.headers['set-cookie'], 'fw_screen'), location: String(answer.headers.location) };
}

beforeAll(async () => {
  t = await startTestApp();
  await registerFleet(t.app, t.root.authorization);
  owner = await invitedAdmin(t.app, t.root.authorization, 'dist', 'olga@sunrise.example', 'owner');
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t.close();
});

describe('pairing', () => {
  it('trades a one-time code for an HttpOnly cookie and a clean URL', async () => {
    const created = await owner.call({ method: 'POST', url: '/api/v1/admin/tenants/dist/screens', payload: { name: 'Lobby' } });
    expect(created.statusCode).toBe(201);
    const screen = created.json() as { id: string; url: string };
    const answer = await t.app.inject({ method: 'GET', url: new URL(screen.url).pathname });
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe(`/screen/${screen.id}`);
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(String(answer.headers['set-cookie'])).toMatch(/^fw_screen=[\w-]+;.*HttpOnly.*SameSite=Strict/);
    const again = await t.app.inject({ method: 'GET', url: new URL(screen.url).pathname });
    expect(again.statusCode).toBe(410);
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('lets the paired browser in over the socket, from our own origin only, with its settings', async () => {
    const created = (await owner.call({ method: 'POST', url: '/api/v1/admin/tenants/inst/screens', payload: { name: 'Ops wall', settings: { theme: 'daylight' } } })).json() as { id: string; url: string };
    const { cookie } = await pairedCookie(created.url);
    const host = new URL(base).host;

    // Another site's page is refused at the handshake, before its cookie is even read.
    const stranger = wall({ cookie, origin: 'https://evil.example' });
    expect(((await first(stranger, 'connect_error')) as Error).message).toMatch(/websocket error|xhr poll error|unauthorized/);

    const mine = wall({ cookie, origin: `http://${host}` });
    const [info, snapshot] = (await Promise.all([first(mine, 'screen'), first(mine, 'snapshot')])) as [ScreenInfo, Snapshot];
    expect(info).toMatchObject({ id: created.id, name: 'Ops wall', settings: { theme: 'daylight', mask_personal: true } });
    expect(snapshot.tenant.id).toBe('inst');
    expect(snapshot.plants.map((p) => p.id)).toEqual(['p-akl']);

    // Settings changed in /admin reach the open screen without a reload.
    const renamed = first(mine, 'screen');
    await owner.call({ method: 'PATCH', url: `/api/v1/admin/screens/${created.id}`, payload: { name: 'Ops wall 2', settings: { mask_personal: false } } });
    expect(await renamed).toMatchObject({ name: 'Ops wall 2', settings: { mask_personal: false, theme: 'daylight' } });
  });

  it('pushes saved branding to every open screen of the subtree within seconds', async () => {
    const created = (await owner.call({ method: 'POST', url: '/api/v1/admin/tenants/cust-nz/screens', payload: { name: 'Farm' } })).json() as { url: string };
    const { cookie } = await pairedCookie(created.url);
    const socket = wall({ cookie, origin: `http://${new URL(base).host}` });
    await first(socket, 'snapshot');
    const next = first(socket, 'snapshot', 5000);
    await owner.call({ method: 'PUT', url: '/api/v1/admin/tenants/dist/branding', payload: { title: 'Sunrise Energy', accent_color: '#123456' } });
    expect(((await next) as Snapshot).tenant).toMatchObject({ title: 'Sunrise Energy', accent_color: '#123456' });
  });

  it('survives a server restart without pairing again', async () => {
    const created = (await owner.call({ method: 'POST', url: '/api/v1/admin/tenants/dist/screens', payload: { name: 'Restart' } })).json() as { url: string };
    const { cookie } = await pairedCookie(created.url);
    for (const s of sockets) s.disconnect();
    await t.restart();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const socket = wall({ cookie, origin: `http://${new URL(base).host}` });
    expect(((await first(socket, 'snapshot')) as Snapshot).tenant.id).toBe('dist');
    owner = { ...owner, call: (o) => t.app.inject({ ...o, headers: { origin: 'http://localhost:80', ...o.headers, cookie: owner.cookie } } as never) };
  });

  it('revokes: the open screen is told and disconnected within 5 seconds, and cannot come back', async () => {
    const created = (await owner.call({ method: 'POST', url: '/api/v1/admin/tenants/dist/screens', payload: { name: 'Doomed' } })).json() as { id: string; url: string; token: string };
    const { cookie } = await pairedCookie(created.url);
    const origin = `http://${new URL(base).host}`;
    const socket = wall({ cookie, origin });
    await first(socket, 'snapshot');
    const told = first(socket, 'revoked');
    const gone = first(socket, 'disconnect');
    const started = Date.now();
    expect((await owner.call({ method: 'DELETE', url: `/api/v1/admin/screens/${created.id}` })).statusCode).toBe(204);
    await told;
    await gone;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(((await first(wall({ cookie, origin }), 'connect_error')) as Error).message).toBe('unauthorized');
    expect(((await first(wall({}, { token: created.token }), 'connect_error')) as Error).message).toBe('revoked');
    const snapshot = await t.app.inject({ method: 'GET', url: `/api/v1/screens/${created.id}/snapshot`, headers: { authorization: `Bearer ${created.token}` } });
    expect(snapshot.statusCode).toBe(401);
  });
});
