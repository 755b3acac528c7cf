// API keys of a tenant: listed without their secret, created (shown once), revoked at once.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../errors.ts';
import { requireAdmin, requireRole, requireRoleOver } from '../../http/auth.ts';
import { TenantParams } from './params.ts';

export default async function keyAdminRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: TenantParams }>('/api/v1/admin/tenants/:tenantId/keys', { schema: { params: TenantParams }, preHandler: requireAdmin }, async (request) => {
    requireRole(request, request.params.tenantId, 'admin');
    return app.credentials.keysOf(request.params.tenantId).map(({ id, label, created_at, revoked }) => ({ id, label, created_at, revoked }));
  });

  app.post<{ Params: TenantParams; Body: { label?: string } }>(
    '/api/v1/admin/tenants/:tenantId/keys',
    { schema: { params: TenantParams, body: Type.Object({ label: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }) }, preHandler: requireAdmin },
    async (request, reply) => {
      requireRole(request, request.params.tenantId, 'admin');
      return reply.code(201).send(await app.credentials.createKey(request.params.tenantId, request.body.label ?? ''));
    }
  );

  app.delete<{ Params: { keyId: string } }>(
    '/api/v1/admin/keys/:keyId',
    { schema: { params: Type.Object({ keyId: Type.String({ maxLength: 128 }) }) }, preHandler: requireAdmin },
    async (request, reply) => {
      const key = app.credentials.key(request.params.keyId);
      if (!key) throw notFound('keyId', 'key', request.params.keyId);
      requireRoleOver(request, key.tenant_id, 'admin', () => notFound('keyId', 'key', request.params.keyId));
      await app.credentials.revokeKey(key);
      return reply.code(204).send();
    }
  );
}
