// The server's log names no secret: API keys, screen tokens, pairing codes, invitation tokens,
// passwords and session cookies stay out of it through sign-in, pairing, key creation, requests
// with keys and socket handshakes with tokens — also at the most verbose level, and on errors.
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import app from '../../../server/app.ts';
import { loadConfig } from '../../../server/config.ts';
import { createStore } from '../../../server/db/store.ts';
import { fastifyOptions, loggerOptions } from '../../../server/http/options.ts';
import { ORIGIN, sessionCookie } from '../../helpers/admin.ts';
import { ROOT_KEY } from '../../helpers/app.ts';
import { post, record, registerFleet } from '../../helpers/fleet.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(String(chunk));
    done();
  }
});
const dataDir = mkdtempSync(join(tmpdir(), 'fleetwall-logs-'));
const config = loadConfig({ FLEETWALL_DATA: dataDir, FLEETWALL_DEMO: 'off' });
const store = createStore(config);
let fastify: FastifyInstance;
let base: string;

beforeAll(async () => {
  fastify = Fastify(fastifyOptions(loggerOptions('trace', sink)));
  await fastify.register(app, { config, store, rootKey: ROOT_KEY, displayDir: join(dataDir, 'no-display') });
  base = await fastify.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await fastify.close();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('logs', () => {
  it('hold none of the secrets that passed through', async () => {
    const secrets: Record<string, string> = { root: ROOT_KEY };
    const root = { authorization: `Bearer ${ROOT_KEY}` };
    await registerFleet(fastify, root.authorization);
    secrets.key = (await fastify.inject({ method: 'POST', url: '/api/v1/keys', headers: root, payload: { tenant_id: 'dist' } })).json().key;
    expect((await post(fastify, `Bearer ${secrets.key}`, { records: [record('AKL-1', new Date(Date.now() - 60_000).toISOString(), 3)] })).statusCode).toBe(200);
    expect((await fastify.inject({ method: 'GET', url: '/api/v1/keys', headers: { authorization: `Bearer ${secrets.key}x` } })).statusCode).toBeGreaterThanOrEqual(400);

    const invite = await fastify.inject({ method: 'POST', url: '/api/v1/admin/tenants/dist/members', headers: root, payload: { email: 'owner@example.com', role: 'owner' } });
    secrets.invitation = invite.json().invitation.link.split('/').pop();
    secrets.password = 'a long and secret passphrase';
    expect((await fastify.inject({ method: 'GET', url: `/api/v1/auth/invitations/${secrets.invitation}` })).statusCode).toBe(200);
    expect((await fastify.inject({ method: 'GET', url: `/admin/invite/${secrets.invitation}` })).statusCode).toBe(404);
    const accepted = await fastify.inject({ method: 'POST', url: '/api/v1/auth/invitations/accept', headers: { origin: ORIGIN }, payload: { token: secrets.invitation, name: 'Owner', password: secrets.password } });
    expect(accepted.statusCode).toBe(200);
    const login = await fastify.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { email: 'owner@example.com', password: secrets.password } });
    secrets.session = sessionCookie(login.headers['set-cookie']).split('=')[1];
    expect((await fastify.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `fw_session=${secrets.session}` } })).statusCode).toBe(200);
    await fastify.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN }, payload: { email: 'owner@example.com', password: `${secrets.password}!` } });

    const screen = (await fastify.inject({ method: 'POST', url: '/api/v1/screens', headers: root, payload: { tenant_id: 'dist', name: 'Lobby' } })).json();
    secrets.token = screen.token;
    secrets.pairing = screen.url.split('/').pop();
    const paired = await fetch(`${base}/pair/${secrets.pairing}?token=${secrets.token}`, { redirect: 'manual' });
    expect(paired.status).toBe(303);
    secrets.screenCookie = sessionCookie(paired.headers.getSetCookie(), 'fw_screen').split('=')[1];
    expect((await fetch(`${base}/api/v1/screens/${screen.id}/snapshot`, { headers: { authorization: `Bearer ${secrets.token}` } })).status).toBe(200);
    expect((await fetch(`${base}/api/v1/screens/${screen.id}/snapshot`, { headers: { cookie: `fw_screen=${secrets.screenCookie}` } })).status).toBe(200);
    const socket = connect(base, { auth: { token: secrets.token }, transports: ['polling'], reconnection: false });
    await new Promise((resolve) => socket.once('snapshot', resolve));
    socket.close();

    const log = lines.join('');
    expect(log).toMatch(/"url":"\/pair\/\[redacted\]/);
    expect(log).toMatch(/invitation created/);
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThanOrEqual(16);
      expect(log.includes(secret), `the log holds the ${name}`).toBe(false);
    }
  });
});
