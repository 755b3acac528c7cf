// A tenant as its admins see it: their role, its children, and its wall's snapshot.
import type { FastifyInstance } from 'fastify';
import { requireAdmin, requireRole } from '../../http/auth.ts';
import { replyWithRoom } from '../../http/snapshotBody.ts';
import { TenantParams } from './params.ts';

export default async function tenantRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: TenantParams }>('/api/v1/admin/tenants/:tenantId', { schema: { params: TenantParams }, preHandler: requireAdmin }, async (request) => {
    const { tenantId } = request.params;
    const role = requireRole(request, tenantId, 'viewer');
    const tree = app.registry.tree;
    const tenant = tree.tenants.get(tenantId)!;
    const children = [...tree.tenants.values()]
      .filter((t) => t.parent_id === tenantId)
      .map((t) => ({ id: t.id, name: t.name, kind: t.kind }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { tenant: { id: tenant.id, name: tenant.name, kind: tenant.kind, parent_id: tenant.parent_id }, role, children };
  });

  // The tenant's live room, as its screens' snapshot (server/routes/screens.ts): no figures summed per request.
  app.get<{ Params: TenantParams }>('/api/v1/admin/tenants/:tenantId/snapshot', { schema: { params: TenantParams }, preHandler: requireAdmin }, async (request, reply) => {
    requireRole(request, request.params.tenantId, 'viewer');
    return replyWithRoom(request, reply, app.gateway.read(request.params.tenantId));
  });
}
