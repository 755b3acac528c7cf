// The admin API behind /admin: every route is scoped to a tenant the caller holds a role on.
import type { FastifyInstance } from 'fastify';
import brandingRoutes from './branding.ts';
import exportRoutes from './exports.ts';
import keyRoutes from './keys.ts';
import memberRoutes from './members.ts';
import screenRoutes from './screens.ts';
import tenantRoutes from './tenants.ts';

export default async function adminRoutes(app: FastifyInstance): Promise<void> {
  await app.register(tenantRoutes);
  await app.register(brandingRoutes);
  await app.register(screenRoutes);
  await app.register(keyRoutes);
  await app.register(memberRoutes);
  await app.register(exportRoutes);
}
