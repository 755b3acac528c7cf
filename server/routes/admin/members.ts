// Members of a tenant: invited by e-mail (the link goes back to the inviting admin),
// roles changed, removed; the owner hands the tenant over and becomes an admin.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../accounts/accounts.ts';
import { ClientError, notFound } from '../../errors.ts';
import { ownOrigin, requireAdmin, requireRole } from '../../http/auth.ts';
import { TenantParams } from './params.ts';

const MemberParams = Type.Object({ tenantId: Type.String({ maxLength: 128 }), userId: Type.String({ maxLength: 128 }) });
const InviteRole = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('viewer')]);

export default async function memberRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: TenantParams }>('/api/v1/admin/tenants/:tenantId/members', { schema: { params: TenantParams }, preHandler: requireAdmin }, async (request) => {
    requireRole(request, request.params.tenantId, 'admin');
    const { tenantId } = request.params;
    return {
      members: app.accounts.membersOf(tenantId).map(({ user_id, email, name, role }) => ({ user_id, email, name, role })),
      invitations: app.accounts.pendingInvitations(tenantId, app.now()).map(({ id, email, role, expires_at }) => ({ id, email, role, expires_at: new Date(expires_at).toISOString() }))
    };
  });

  app.post<{ Params: TenantParams; Body: { email: string; role: Role } }>(
    '/api/v1/admin/tenants/:tenantId/members',
    {
      schema: { params: TenantParams, body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }), role: InviteRole }, { additionalProperties: false }) },
      preHandler: requireAdmin
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      const callerRole = requireRole(request, tenantId, 'admin');
      // An owner is named by the root key (first owner) or handed over by the owner.
      if (request.body.role === 'owner' && request.principal!.kind !== 'root') {
        throw new ClientError(403, 'role', 'only the platform operator invites an owner; an owner hands over with /owner');
      }
      if (callerRole === 'admin' && request.principal!.kind === 'tenant') throw new ClientError(403, 'authorization', 'members are managed by people, not API keys');
      const { invitation, token } = await app.accounts.invite(tenantId, request.body.email, request.body.role, app.now());
      const link = `${app.config.publicUrl ?? ownOrigin(request)}/admin/invite/${token}`;
      // No mail is configured: the link goes back to the inviting admin only; it is a credential,
      // so the log says who was invited, never the link.
      request.log.info({ tenant: tenantId, email: invitation.email, role: invitation.role }, 'invitation created');
      return reply.code(201).send({ invitation: { id: invitation.id, email: invitation.email, role: invitation.role, link } });
    }
  );

  app.patch<{ Params: { tenantId: string; userId: string }; Body: { role: 'admin' | 'viewer' } }>(
    '/api/v1/admin/tenants/:tenantId/members/:userId',
    { schema: { params: MemberParams, body: Type.Object({ role: Type.Union([Type.Literal('admin'), Type.Literal('viewer')]) }, { additionalProperties: false }) }, preHandler: requireAdmin },
    async (request, reply) => {
      const { tenantId, userId } = request.params;
      requireRole(request, tenantId, 'admin');
      const member = app.accounts.membersOf(tenantId).find((m) => m.user_id === userId);
      if (!member) throw notFound('userId', 'member', userId);
      if (member.role === 'owner') throw new ClientError(409, 'role', 'the owner keeps the owner role until they hand it over');
      await app.accounts.grant(userId, tenantId, request.body.role);
      return reply.code(204).send();
    }
  );

  app.delete<{ Params: { tenantId: string; userId: string } }>(
    '/api/v1/admin/tenants/:tenantId/members/:userId',
    { schema: { params: MemberParams }, preHandler: requireAdmin },
    async (request, reply) => {
      const { tenantId, userId } = request.params;
      requireRole(request, tenantId, 'admin');
      const member = app.accounts.membersOf(tenantId).find((m) => m.user_id === userId);
      if (!member) throw notFound('userId', 'member', userId);
      if (member.role === 'owner') throw new ClientError(409, 'role', 'the owner cannot be removed; hand the tenant over first');
      await app.accounts.revokeMembership(userId, tenantId);
      return reply.code(204).send();
    }
  );

  app.post<{ Params: TenantParams; Body: { user_id: string } }>(
    '/api/v1/admin/tenants/:tenantId/owner',
    { schema: { params: TenantParams, body: Type.Object({ user_id: Type.String({ maxLength: 128 }) }, { additionalProperties: false }) }, preHandler: requireAdmin },
    async (request, reply) => {
      const { tenantId } = request.params;
      const principal = request.principal!;
      const role = requireRole(request, tenantId, 'owner');
      const isOwnerHere = principal.kind === 'root' || (principal.kind === 'user' && app.accounts.membersOf(tenantId).some((m) => m.user_id === principal.userId && m.role === 'owner'));
      if (role !== 'owner' || !isOwnerHere) throw new ClientError(403, 'role', 'only the owner of this tenant hands it over');
      if (!app.accounts.membersOf(tenantId).some((m) => m.user_id === request.body.user_id)) throw notFound('user_id', 'member', request.body.user_id);
      await app.accounts.grant(request.body.user_id, tenantId, 'owner');
      return reply.code(204).send();
    }
  );
}
