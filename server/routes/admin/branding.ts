// Branding of a tenant: its own settings (null inherits), what it shows after inheritance, and
// its logo, checked by content and re-encoded before it is stored.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { LogoError, MAX_LOGO_BYTES, processLogo } from '../../branding/logo.ts';
import { LANGUAGES, THEMES } from '../../contract.ts';
import { ClientError } from '../../errors.ts';
import { requireAdmin, requireRole } from '../../http/auth.ts';
import type { Tenant } from '../../model.ts';
import { isTimeZone } from '../../time/zones.ts';
import { TenantParams } from './params.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const BrandingBody = Type.Object(
  {
    title: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 120 }))),
    accent_color: Type.Optional(Nullable(Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }))),
    theme: Type.Optional(Type.Union([...THEMES.map((t) => Type.Literal(t)), Type.Null()])),
    co2_factor: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 5 }), Type.Null()])),
    tree_co2_kg: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 1000 }), Type.Null()])),
    coal_kg_per_kwh: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 5 }), Type.Null()])),
    timezone: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
    language: Type.Optional(Type.Union([...LANGUAGES.map((l) => Type.Literal(l)), Type.Null()]))
  },
  { additionalProperties: false }
);
type BrandingBody = {
  title?: string | null;
  accent_color?: string | null;
  theme?: (typeof THEMES)[number] | null;
  co2_factor?: number | null;
  tree_co2_kg?: number | null;
  coal_kg_per_kwh?: number | null;
  timezone?: string | null;
  language?: (typeof LANGUAGES)[number] | null;
};

export default async function brandingRoutes(app: FastifyInstance): Promise<void> {
  const answer = (tenantId: string) => {
    const tree = app.registry.tree;
    const { effective, inherited_from } = app.branding.resolve(tenantId, tree);
    // `inherits`: what each setting would be if the tenant stopped setting it (for the form).
    return { own: app.branding.view(tenantId, tree), effective, inherited_from, inherits: app.branding.inheritance(tenantId, tree) };
  };

  app.get<{ Params: TenantParams }>('/api/v1/admin/tenants/:tenantId/branding', { schema: { params: TenantParams }, preHandler: requireAdmin }, async (request) => {
    requireRole(request, request.params.tenantId, 'viewer');
    return answer(request.params.tenantId);
  });

  app.put<{ Params: TenantParams; Body: BrandingBody }>(
    '/api/v1/admin/tenants/:tenantId/branding',
    { schema: { params: TenantParams, body: BrandingBody }, preHandler: requireAdmin },
    async (request) => {
      const { tenantId } = request.params;
      requireRole(request, tenantId, 'admin');
      const body = request.body;
      if (body.timezone && !isTimeZone(body.timezone)) throw new ClientError(400, 'timezone', `"${body.timezone}" is not an IANA time zone`);
      const own = app.branding.own(tenantId);
      const tenant = app.registry.tree.tenants.get(tenantId)!;
      if (body.timezone !== undefined && (body.timezone ?? undefined) !== tenant.timezone) {
        // The time zone is the tenant's own registry field; the branding page edits it too.
        const { timezone: _previous, ...rest } = tenant;
        const next: Tenant = body.timezone === null ? rest : { ...rest, timezone: body.timezone };
        await app.registry.upsert({ kind: 'root' }, { tenants: [next] });
      }
      await app.branding.put(tenantId, {
        title: body.title === undefined ? own.title : body.title,
        logo_hash: own.logo_hash,
        accent_color: body.accent_color === undefined ? own.accent_color : body.accent_color?.toLowerCase() ?? null,
        theme: body.theme === undefined ? own.theme : body.theme,
        co2_factor: body.co2_factor === undefined ? own.co2_factor : body.co2_factor,
        tree_co2_kg: body.tree_co2_kg === undefined ? own.tree_co2_kg : body.tree_co2_kg,
        coal_kg_per_kwh: body.coal_kg_per_kwh === undefined ? own.coal_kg_per_kwh : body.coal_kg_per_kwh,
        language: body.language === undefined ? own.language : body.language
      });
      return answer(tenantId);
    }
  );

  // The body is the image itself, whatever content type the client declares: the content decides.
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_LOGO_BYTES }, (_request, body, done) => done(null, body));
    scoped.put<{ Params: TenantParams; Body: Buffer }>(
      '/api/v1/admin/tenants/:tenantId/logo',
      { schema: { params: TenantParams }, preHandler: requireAdmin, bodyLimit: MAX_LOGO_BYTES },
      async (request) => {
        const { tenantId } = request.params;
        requireRole(request, tenantId, 'admin');
        if (!Buffer.isBuffer(request.body)) throw new ClientError(400, 'logo', 'send the image file as the request body');
        let logo;
        try {
          logo = await processLogo(request.body);
        } catch (error) {
          if (error instanceof LogoError) throw new ClientError(error.statusCode, 'logo', error.message);
          throw error;
        }
        await app.branding.saveLogo(logo.hash, logo.contentType, logo.data);
        await app.branding.put(tenantId, { ...app.branding.own(tenantId), logo_hash: logo.hash });
        return { logo_url: app.branding.view(tenantId, app.registry.tree).logo_url };
      }
    );
  });

  app.delete<{ Params: TenantParams }>('/api/v1/admin/tenants/:tenantId/logo', { schema: { params: TenantParams }, preHandler: requireAdmin }, async (request) => {
    requireRole(request, request.params.tenantId, 'admin');
    await app.branding.put(request.params.tenantId, { ...app.branding.own(request.params.tenantId), logo_hash: null });
    return { logo_url: null };
  });

  // Logos are public by content hash, and served so that no browser runs anything inside them.
  app.get<{ Params: { file: string } }>('/api/v1/logos/:file', async (request, reply) => {
    const match = /^([0-9a-f]{64})\.png$/.exec(request.params.file);
    const logo = match ? await app.branding.logo(match[1]) : null;
    if (!logo) throw new ClientError(404, 'file', 'no such logo');
    return reply
      .header('content-type', logo.contentType)
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(logo.data);
  });
}
