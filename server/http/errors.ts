// Every error answer names the field at fault and says why; nothing a client sends yields a 500.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isStoreUnavailable } from '../db/health.ts';
import { ClientError, Unavailable } from '../errors.ts';
import { RETRY_AFTER_S } from '../ingest/ingest.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The setting a route's bodyLimit comes from, named in its 413 answer. */
    bodyLimitSetting?: string;
  }
}

interface ValidationItem {
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** '/plants/0/lat' -> 'plants[0].lat' */
export function fieldOf(item: ValidationItem): string {
  const parts = item.instancePath.split('/').filter(Boolean);
  const extra = item.params.missingProperty ?? item.params.additionalProperty;
  if (typeof extra === 'string') parts.push(extra);
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof ClientError) {
    const limit = error.limit ? { limit: error.limit } : {};
    void reply.code(error.statusCode).send({ statusCode: error.statusCode, error: reason(error.statusCode), message: error.message, field: error.field, ...limit });
    return;
  }
  // JSON nested deeper than the stack: a body's identity (JSON.stringify) or any other walk of
  // it gives up before anything is stored. No real batch comes close.
  if (error instanceof RangeError && /call stack/.test(error.message)) {
    void reply.code(400).send({ statusCode: 400, error: reason(400), message: 'body is nested too deeply', field: 'body' });
    return;
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const max = request.routeOptions.bodyLimit ?? 0;
    const name = request.routeOptions.config.bodyLimitSetting ?? `${request.routeOptions.url ?? 'this endpoint'} body`;
    const message = `body is larger than ${max} bytes, the most this endpoint takes (${name})`;
    void reply.code(413).send({ statusCode: 413, error: reason(413), message, field: 'body', limit: { name, max } });
    return;
  }
  if (error instanceof Unavailable) {
    void reply.code(503).header('retry-after', String(error.retryAfterS)).send({ statusCode: 503, error: 'Service Unavailable', message: error.message, field: null });
    return;
  }
  if (error.validation) {
    const item = error.validation[0] as ValidationItem;
    const field = fieldOf(item);
    const what = item.params.additionalProperty ? 'is not a known field' : item.params.missingProperty ? 'is required' : item.message;
    const where = error.validationContext === 'body' ? field || 'body' : `${error.validationContext}.${field}`;
    void reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: `${where} ${what}`, field: where });
    return;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const message = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'body is not valid JSON' : error.message;
    void reply.code(status).send({ statusCode: status, error: reason(status), message, field: null });
    return;
  }
  if (isStoreUnavailable(error)) {
    // The store is down or behind (ingest says so itself): the same request may succeed later.
    request.log.warn({ err: error }, 'store unavailable');
    const message = `the store is unavailable (${error.message}); send the request again later`;
    void reply.code(503).header('retry-after', String(RETRY_AFTER_S)).send({ statusCode: 503, error: 'Service Unavailable', message, field: null });
    return;
  }
  request.log.error({ err: error }, 'request failed');
  void reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error', field: null });
}

function reason(status: number): string {
  return ({ 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 503: 'Service Unavailable' } as Record<number, string>)[status] ?? 'Error';
}
