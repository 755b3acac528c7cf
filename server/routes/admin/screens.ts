// Screens of a tenant: create (with a one-time pairing link), rename, configure, re-pair, revoke.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_SCREEN_SETTINGS, type ScreenRecord } from '../../auth/credentials.ts';
import { DISPLAY_MODES, LANGUAGES, THEMES, type ScreenSettings } from '../../contract.ts';
import { notFound } from '../../errors.ts';
import { requireAdmin, requireRole, requireRoleOver } from '../../http/auth.ts';
import { pairingUrl } from '../pairing.ts';
import { TenantParams } from './params.ts';

const Clock = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });
const Settings = Type.Object(
  {
    mode: Type.Optional(Type.Union(DISPLAY_MODES.map((m) => Type.Literal(m)))),
    playlist: Type.Optional(
      Type.Union([
        Type.Array(Type.Object({ mode: Type.Union(DISPLAY_MODES.map((m) => Type.Literal(m))), seconds: Type.Integer({ minimum: 5, maximum: 3600 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
        Type.Null()
      ])
    ),
    fly_through: Type.Optional(Type.Union([Type.Literal('largest_yield'), Type.Literal('newest_faults'), Type.Null()])),
    plant_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()])),
    page_seconds: Type.Optional(Type.Integer({ minimum: 3, maximum: 600 })),
    night: Type.Optional(Type.Union([Type.Object({ from: Clock, to: Clock, brightness: Type.Number({ minimum: 0.1, maximum: 1 }) }, { additionalProperties: false }), Type.Null()])),
    pixel_shift: Type.Optional(Type.Boolean()),
    theme: Type.Optional(Type.Union([...THEMES.map((t) => Type.Literal(t)), Type.Null()])),
    language: Type.Optional(Type.Union([...LANGUAGES.map((l) => Type.Literal(l)), Type.Null()])),
    mask_personal: Type.Optional(Type.Boolean())
  },
  { additionalProperties: false }
);
const Name = Type.String({ minLength: 1, maxLength: 200 });
const ScreenParams = Type.Object({ screenId: Type.String({ minLength: 1, maxLength: 128 }) });

export default async function screenAdminRoutes(app: FastifyInstance): Promise<void> {
  const view = (s: ScreenRecord) => ({
    id: s.id,
    name: s.name,
    tenant_id: s.tenant_id,
    settings: s.settings,
    created_at: s.created_at,
    revoked: s.revoked,
    sessions: app.secrets.count('screen_session', s.id, app.now())
  });

  /** The screen, if the caller may administer its tenant; a foreign one looks missing. */
  const screenFor = (request: FastifyRequest, screenId: string, minimum: 'viewer' | 'admin'): ScreenRecord => {
    const screen = app.credentials.screens.get(screenId);
    if (!screen) throw notFound('screenId', 'screen', screenId);
    requireRoleOver(request, screen.tenant_id, minimum, () => notFound('screenId', 'screen', screenId));
    return screen;
  };

  app.get<{ Params: TenantParams }>('/api/v1/admin/tenants/:tenantId/screens', { schema: { params: TenantParams }, preHandler: requireAdmin }, async (request) => {
    requireRole(request, request.params.tenantId, 'viewer');
    return app.credentials.screensOf(request.params.tenantId).map(view);
  });

  app.post<{ Params: TenantParams; Body: { name: string; settings?: Partial<ScreenSettings> } }>(
    '/api/v1/admin/tenants/:tenantId/screens',
    { schema: { params: TenantParams, body: Type.Object({ name: Name, settings: Type.Optional(Settings) }, { additionalProperties: false }) }, preHandler: requireAdmin },
    async (request, reply) => {
      requireRole(request, request.params.tenantId, 'admin');
      const settings = { ...DEFAULT_SCREEN_SETTINGS, ...request.body.settings } as ScreenSettings;
      const screen = await app.credentials.createScreen(request.params.tenantId, request.body.name, settings);
      const url = await pairingUrl(app, request, screen.id);
      return reply.code(201).send({ id: screen.id, token: screen.token, url });
    }
  );

  app.patch<{ Params: { screenId: string }; Body: { name?: string; settings?: Partial<ScreenSettings> } }>(
    '/api/v1/admin/screens/:screenId',
    { schema: { params: ScreenParams, body: Type.Object({ name: Type.Optional(Name), settings: Type.Optional(Settings) }, { additionalProperties: false }) }, preHandler: requireAdmin },
    async (request) => {
      const screen = screenFor(request, request.params.screenId, 'admin');
      const next: ScreenRecord = { ...screen, name: request.body.name ?? screen.name, settings: { ...screen.settings, ...request.body.settings } };
      await app.credentials.writeScreen(next);
      app.gateway.screenChanged(next);
      return view(next);
    }
  );

  app.post<{ Params: { screenId: string } }>('/api/v1/admin/screens/:screenId/pairing', { schema: { params: ScreenParams }, preHandler: requireAdmin }, async (request) => {
    const screen = screenFor(request, request.params.screenId, 'admin');
    return { url: await pairingUrl(app, request, screen.id) };
  });

  app.delete<{ Params: { screenId: string } }>('/api/v1/admin/screens/:screenId', { schema: { params: ScreenParams }, preHandler: requireAdmin }, async (request, reply) => {
    const screen = screenFor(request, request.params.screenId, 'admin');
    const revoked = { ...screen, revoked: true };
    await app.credentials.writeScreen(revoked);
    await app.secrets.revokeSubject('screen_session', screen.id);
    await app.secrets.revokeSubject('screen_pairing', screen.id);
    app.gateway.screenRevoked(screen.id);
    return reply.code(204).send();
  });
}
