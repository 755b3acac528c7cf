// Fastify options shared by the process and the tests, so both validate the same way.
import type { FastifyServerOptions } from 'fastify';

export function fastifyOptions(logger: FastifyServerOptions['logger']): FastifyServerOptions {
  return {
    logger,
    forceCloseConnections: 'idle',
    // Strict bodies: no type coercion, unknown fields are refused by name rather than dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } }
  };
}
