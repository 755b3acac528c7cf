// Authentication for /api. Machines send `Authorization: Bearer <key>`; browsers hold an
// HttpOnly session cookie (admins) or screen cookie (walls). A state-changing request that
// rides on a cookie must come from our own origin, whatever its content type.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../accounts/accounts.ts';
import type { Principal } from '../auth/principal.ts';
import { ClientError, notFound } from '../errors.ts';

export const SESSION_COOKIE = 'fw_session';
export const SCREEN_COOKIE = 'fw_screen';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

/** The origin this request was addressed to, as a browser on our page would send it. */
export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? ''}`;
}

/** A browser page of ours (or no browser at all) may connect; another site's page may not. */
export function foreignOrigin(origin: string | undefined, host: string | undefined): boolean {
  return origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`;
}

export function checkOrigin(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (request.headers.origin !== ownOrigin(request)) {
    throw new ClientError(403, 'origin', 'cross-origin request refused');
  }
}

function fromCookies(request: FastifyRequest): Principal | null {
  const app = request.server;
  const session = request.cookies[SESSION_COOKIE];
  if (session) {
    const record = app.secrets.find(session, 'user_session', app.now());
    if (record && app.accounts.users.has(record.subject_id)) return { kind: 'user', userId: record.subject_id, sessionId: record.id };
  }
  const screen = request.cookies[SCREEN_COOKIE];
  if (screen) {
    const record = app.secrets.find(screen, 'screen_session', app.now());
    const found = record && app.credentials.screens.get(record.subject_id);
    if (found && !found.revoked) return { kind: 'screen', tenantId: found.tenant_id, screenId: found.id };
  }
  return null;
}

function authenticate(request: FastifyRequest, allowCookies: boolean): Principal {
  const secret = bearer(request);
  let principal: Principal | null = null;
  if (secret !== null) {
    principal = request.server.credentials.authenticate(secret);
    if (principal === null) throw new ClientError(401, 'authorization', 'the API key is not valid');
  } else if (allowCookies) {
    principal = fromCookies(request);
    if (principal) checkOrigin(request);
  }
  if (principal === null) throw new ClientError(401, 'authorization', 'an API key is required: Authorization: Bearer <key>');
  request.principal = principal;
  return principal;
}

/** preHandler: a root or tenant key (machine endpoints: registry, telemetry, keys, screens). */
export async function requireKey(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const principal = authenticate(request, false);
  if (principal.kind === 'screen') throw new ClientError(403, 'authorization', 'a screen token can only read its own screen');
}

/** preHandler: any valid credential, screens included. */
export async function requireAny(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  authenticate(request, true);
}

/** preHandler: an admin session, or a root or tenant key (admin pages and their API). */
export async function requireAdmin(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const principal = authenticate(request, true);
  if (principal.kind === 'screen') throw new ClientError(403, 'authorization', 'a screen cannot administer');
}

const RANK: Record<Role, number> = { viewer: 0, admin: 1, owner: 2 };

/**
 * The principal's role on a tenant: a root key is owner of everything, a tenant key admin of its
 * subtree, an admin what its membership says. A tenant it cannot see answers 404, like a missing
 * one; one it sees with too small a role answers 403.
 */
export function requireRole(request: FastifyRequest, tenantId: string, minimum: Role): Role {
  const app = request.server;
  const principal = request.principal!;
  const tree = app.registry.tree;
  let role: Role | null = null;
  if (tree.tenants.has(tenantId)) {
    if (principal.kind === 'root') role = 'owner';
    else if (principal.kind === 'tenant') role = tree.isWithin(principal.tenantId, tenantId) ? 'admin' : null;
    else if (principal.kind === 'user') role = app.accounts.roleOn(principal.userId, tenantId, tree);
  }
  if (role === null) throw notFound('tenant', 'tenant', tenantId);
  if (RANK[role] < RANK[minimum]) throw new ClientError(403, 'role', `this needs the ${minimum} role; you are ${role}`);
  return role;
}

/**
 * requireRole for a thing that belongs to a tenant (a screen, a key): where the caller cannot see
 * the tenant, the thing answers exactly as a missing one would.
 */
export function requireRoleOver(request: FastifyRequest, tenantId: string, minimum: Role, missing: () => ClientError): Role {
  try {
    return requireRole(request, tenantId, minimum);
  } catch (error) {
    if (error instanceof ClientError && error.statusCode === 404) throw missing();
    throw error;
  }
}
