// Admin login, logout and invitations. The session is an HttpOnly, SameSite=Strict cookie,
// Secure when served over TLS, backed by a revocable server-side record.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../accounts/accounts.ts';
import { ClientError } from '../errors.ts';
import { checkOrigin, requireAdmin, SESSION_COOKIE } from '../http/auth.ts';

export const SESSION_TTL_MS = 7 * 24 * 3_600_000;
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' });
const Password = Type.String({ minLength: 1, maxLength: 1024 });

async function startSession(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, user: User) {
  const session = await app.secrets.issue('user_session', user.id, SESSION_TTL_MS, app.now());
  void reply.setCookie(SESSION_COOKIE, session.secret, {
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: '/',
    maxAge: SESSION_TTL_MS / 1000
  });
  return { user: { id: user.id, email: user.email, name: user.name } };
}

export default async function authRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: { email: string; password: string } }>(
    '/api/v1/auth/login',
    {
      schema: { body: Type.Object({ email: Email, password: Password }, { additionalProperties: false }) },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } }
    },
    async (request, reply) => {
      checkOrigin(request);
      const user = await app.accounts.login(request.body.email, request.body.password);
      if (!user) throw new ClientError(401, 'password', 'wrong e-mail address or password');
      return startSession(app, request, reply, user);
    }
  );

  app.post('/api/v1/auth/logout', { preHandler: requireAdmin }, async (request, reply) => {
    const principal = request.principal!;
    if (principal.kind === 'user') {
      const session = request.cookies[SESSION_COOKIE];
      const record = session ? app.secrets.find(session, 'user_session', app.now()) : null;
      if (record) await app.secrets.revoke(record);
    }
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/v1/auth/me', { preHandler: requireAdmin }, async (request) => {
    const principal = request.principal!;
    if (principal.kind !== 'user') throw new ClientError(400, 'authorization', 'only an admin session has a profile');
    const user = app.accounts.users.get(principal.userId)!;
    const tree = app.registry.tree;
    const memberships = app.accounts
      .membershipsOf(user.id)
      .filter((m) => tree.tenants.has(m.tenant_id))
      .map((m) => ({ tenant_id: m.tenant_id, tenant_name: tree.tenants.get(m.tenant_id)!.name, kind: tree.tenants.get(m.tenant_id)!.kind, role: m.role }));
    return { user: { id: user.id, email: user.email, name: user.name }, memberships };
  });

  app.get<{ Params: { token: string } }>(
    '/api/v1/auth/invitations/:token',
    { schema: { params: Type.Object({ token: Type.String({ maxLength: 128 }) }) } },
    async (request) => {
      const invitation = app.accounts.invitationFor(request.params.token, app.now());
      if (!invitation) throw new ClientError(404, 'token', 'this invitation link is not valid any more');
      const tenant = app.registry.tree.tenants.get(invitation.tenant_id);
      return { email: invitation.email, tenant_name: tenant?.name ?? invitation.tenant_id, role: invitation.role };
    }
  );

  app.post<{ Body: { token: string; name: string; password: string } }>(
    '/api/v1/auth/invitations/accept',
    {
      schema: {
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 128 }), name: Type.String({ maxLength: 200 }), password: Type.String({ minLength: 10, maxLength: 1024 }) },
          { additionalProperties: false }
        )
      },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } }
    },
    async (request, reply) => {
      checkOrigin(request);
      const user = await app.accounts.accept(request.body.token, request.body.name, request.body.password, app.now());
      return startSession(app, request, reply, user);
    }
  );
}
