// Tenant API keys, created by the root key or by a key of the tenant or an ancestor.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.ts';
import { requireKey } from '../http/auth.ts';
import { Id } from '../registry/schemas.ts';

export default async function keyRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: { tenant_id: string } }>(
    '/api/v1/keys',
    {
      schema: {
        body: Type.Object({ tenant_id: Id }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String(), key: Type.String(), tenant_id: Type.String() }) }
      },
      preHandler: requireKey
    },
    async (request, reply) => {
      const { tenant_id } = request.body;
      if (!app.registry.canSee(request.principal!, tenant_id)) throw notFound('tenant_id', 'tenant', tenant_id);
      const created = await app.credentials.createKey(tenant_id);
      return reply.code(201).send({ ...created, tenant_id });
    }
  );
}
