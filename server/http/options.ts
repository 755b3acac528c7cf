// Fastify options shared by the process and the tests, so both validate the same way.
import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';

/** One-time secrets in paths (pairing codes, invitation tokens) and in query strings never reach the logs. */
export function redactUrl(url: string): string {
  return url
    .replace(/^(\/pair\/|\/admin\/invite\/|\/api\/v1\/auth\/invitations\/)[^/?#]+/, '$1[redacted]')
    .replace(/([?&](?:token|key|code|secret|password)=)[^&#]*/gi, '$1[redacted]');
}

/**
 * The process's log: requests by method, redacted URL and address only (no headers, so no keys,
 * tokens or cookies); what else might carry a secret is censored by path.
 */
export function loggerOptions(level: string, stream?: DestinationStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token', '*.secret', '*.key'],
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip })
    }
  } as FastifyServerOptions['logger'];
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
