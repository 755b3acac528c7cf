// Bearer authentication for /api: every route names who may call it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.ts';
import { ClientError } from '../errors.ts';

export function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

/** preHandler: a root or tenant key (screens only read, through their own routes). */
export async function requireKey(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const principal = authenticate(request);
  if (principal.kind === 'screen') throw new ClientError(403, 'authorization', 'a screen token can only read its own screen');
}

/** preHandler: any valid credential, screens included. */
export async function requireAny(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  authenticate(request);
}

function authenticate(request: FastifyRequest): Principal {
  const secret = bearer(request);
  if (secret === null) throw new ClientError(401, 'authorization', 'an API key is required: Authorization: Bearer <key>');
  const principal = request.server.credentials.authenticate(secret);
  if (principal === null) throw new ClientError(401, 'authorization', 'the API key is not valid');
  request.principal = principal;
  return principal;
}
