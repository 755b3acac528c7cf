// Admin sessions for tests: invite through the root key, accept, and keep the cookie.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/** What a browser on our own page sends with a state-changing request. */
export const ORIGIN = 'http://localhost:80';

export interface Admin {
  cookie: string;
  userId: string;
  /** inject() with the session cookie and our Origin. */
  call(options: InjectOptions): Promise<LightMyRequestResponse>;
}

export function sessionCookie(setCookie: string | string[] | undefined, name = 'fw_session'): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const found = all.find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${JSON.stringify(all)}`);
  return found.split(';')[0];
}

export function asAdmin(app: FastifyInstance, cookie: string, userId: string): Admin {
  return {
    cookie,
    userId,
    call: (options) => app.inject({ ...options, headers: { origin: ORIGIN, ...options.headers, cookie } } as InjectOptions)
  };
}

/** Invites `email` with `role` on `tenantId` (root key), accepts, and returns the signed-in admin. */
export async function invitedAdmin(app: FastifyInstance, rootAuth: string, tenantId: string, email: string, role: 'owner' | 'admin' | 'viewer', password = 'correct horse battery'): Promise<Admin> {
  const invite = await app.inject({ method: 'POST', url: `/api/v1/admin/tenants/${tenantId}/members`, headers: { authorization: rootAuth }, payload: { email, role } });
  expect(invite.statusCode, invite.body).toBe(201);
  const token = (invite.json() as { invitation: { link: string } }).invitation.link.split('/').pop()!;
  const accepted = await app.inject({ method: 'POST', url: '/api/v1/auth/invitations/accept', headers: { origin: ORIGIN }, payload: { token, name: email.split('@')[0], password } });
  expect(accepted.statusCode, accepted.body).toBe(200);
  return asAdmin(app, sessionCookie(accepted.headers['set-cookie']), (accepted.json() as { user: { id: string } }).user.id);
}
