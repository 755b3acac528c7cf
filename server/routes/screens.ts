// Screens: a named wall of a tenant's subtree, opened by its URL; and its snapshot over HTTP.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.ts';
import { requireAny, requireKey } from '../http/auth.ts';
import { Id } from '../registry/schemas.ts';
import { replyWithRoom } from '../http/snapshotBody.ts';
import { pairingUrl } from './pairing.ts';

const CreateScreen = Type.Object({ tenant_id: Id, name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export default async function screenRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: { tenant_id: string; name: string } }>(
    '/api/v1/screens',
    {
      schema: { body: CreateScreen, response: { 201: Type.Object({ id: Type.String(), token: Type.String(), url: Type.String() }) } },
      preHandler: requireKey
    },
    async (request, reply) => {
      const { tenant_id, name } = request.body;
      if (!app.registry.canSee(request.principal!, tenant_id)) throw notFound('tenant_id', 'tenant', tenant_id);
      const screen = await app.credentials.createScreen(tenant_id, name);
      // The URL pairs one browser (a one-time code traded for a cookie); the token stays a
      // read-only credential for programs.
      return reply.code(201).send({ ...screen, url: await pairingUrl(app, request, screen.id) });
    }
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/screens/:id/snapshot',
    { schema: { params: Type.Object({ id: Type.String({ maxLength: 128 }) }) }, preHandler: requireAny },
    async (request, reply) => {
      const principal = request.principal!;
      const screen = app.credentials.screens.get(request.params.id);
      const allowed =
        screen !== undefined &&
        !screen.revoked &&
        (principal.kind === 'screen' ? principal.screenId === screen.id : app.registry.canSee(principal, screen.tenant_id));
      // A foreign screen answers exactly as a missing one, so ids cannot be probed.
      if (!allowed || !app.registry.tree.tenants.has(screen.tenant_id)) throw notFound('id', 'screen', request.params.id);
      // The tenant's live room (the one its screens' sockets share), serialized once per version.
      return replyWithRoom(request, reply, app.gateway.read(screen.tenant_id));
    }
  );
}
