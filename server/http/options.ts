// Fastify options shared by the process and the tests, so both validate the same way.
import type { FastifyServerOptions } from 'fastify';

/** One-time secrets in paths (pairing codes, invitation tokens) never reach the logs. */
export function redactUrl(url: string): string {
  return url.replace(/^(\/pair\/|\/admin\/invite\/|\/api\/v1\/auth\/invitations\/)[^/?#]+/, '$1[redacted]');
}

export function fastifyOptions(logger: FastifyServerOptions['logger'], trustProxy = false): FastifyServerOptions {
  return {
    logger,
    trustProxy,
    forceCloseConnections: 'idle',
    // Strict bodies: no type coercion, unknown fields are refused by name rather than dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } }
  };
}
