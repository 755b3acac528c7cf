// Registry upserts (DESIGN.md): PUT one entity, or POST a bulk batch, all or nothing.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ClientError } from '../errors.ts';
import { requireKey } from '../http/auth.ts';
import type { Device, Plant, Tenant } from '../model.ts';
import { DeviceBody, Id, PlantBody, RegistryBody, TenantBody } from '../registry/schemas.ts';

const BULK_LIMIT = 32 * 1024 * 1024;

function sameId(bodyId: string | undefined, paramId: string, field: string): void {
  if (bodyId !== undefined && bodyId !== paramId) throw new ClientError(400, field, `does not match the id in the path ("${paramId}")`);
}

export default async function registryRoutes(app: FastifyInstance): Promise<void> {
  const Params = Type.Object({ id: Id });
  const SnParams = Type.Object({ sn: Id });
  const Upserted = { 200: Type.Object({ id: Type.String(), updated: Type.Boolean() }) };

  app.put<{ Params: { id: string }; Body: TenantBody }>(
    '/api/v1/tenants/:id',
    { schema: { params: Params, body: TenantBody, response: Upserted }, preHandler: requireKey },
    async (request) => {
      sameId(request.body.id, request.params.id, 'id');
      const existed = app.registry.tree.tenants.has(request.params.id);
      await app.registry.upsert(request.principal!, { tenants: [{ ...request.body, id: request.params.id } as Tenant] });
      return { id: request.params.id, updated: existed };
    }
  );

  app.put<{ Params: { id: string }; Body: PlantBody }>(
    '/api/v1/plants/:id',
    { schema: { params: Params, body: PlantBody, response: Upserted }, preHandler: requireKey },
    async (request) => {
      sameId(request.body.id, request.params.id, 'id');
      const existed = app.registry.tree.plants.has(request.params.id);
      await app.registry.upsert(request.principal!, { plants: [{ ...request.body, id: request.params.id } as Plant] });
      return { id: request.params.id, updated: existed };
    }
  );

  app.put<{ Params: { sn: string }; Body: DeviceBody }>(
    '/api/v1/devices/:sn',
    { schema: { params: SnParams, body: DeviceBody, response: { 200: Type.Object({ sn: Type.String(), updated: Type.Boolean() }) } }, preHandler: requireKey },
    async (request) => {
      sameId(request.body.sn, request.params.sn, 'sn');
      const existed = app.registry.tree.devices.has(request.params.sn);
      await app.registry.upsert(request.principal!, { devices: [{ ...request.body, sn: request.params.sn } as Device] });
      return { sn: request.params.sn, updated: existed };
    }
  );

  app.post<{ Body: RegistryBody }>(
    '/api/v1/registry',
    {
      bodyLimit: BULK_LIMIT,
      schema: {
        body: RegistryBody,
        response: { 200: Type.Object({ tenants: Type.Integer(), plants: Type.Integer(), devices: Type.Integer() }) }
      },
      preHandler: requireKey
    },
    async (request) => {
      const change = await app.registry.upsert(request.principal!, request.body as { tenants?: Tenant[]; plants?: Plant[]; devices?: Device[] });
      return { tenants: change.tenants.length, plants: change.plants.length, devices: change.devices.length };
    }
  );
}
