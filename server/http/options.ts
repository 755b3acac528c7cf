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
    // The app plugin rebuilds live state from the store before it is ready: at a million devices
    // that takes longer than Fastify's default 10 s. A store that does not answer still fails the start.
    pluginTimeout: 600_000,
    // Strict bodies: no type coercion, unknown fields are refused by name rather than dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } }
  };
}
