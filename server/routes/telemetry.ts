// POST /api/v1/telemetry: valid records are stored, each invalid one is listed and not stored.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireKey } from '../http/auth.ts';
import type { IngestBody } from '../ingest/ingest.ts';

export const MAX_RECORDS = 50_000;
const BODY_LIMIT = 64 * 1024 * 1024;

const Batch = Type.Object({
  batch_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  // Records are checked one by one by ingest, so that one bad record does not sink the batch.
  records: Type.Array(Type.Unknown(), { maxItems: MAX_RECORDS })
});

const Answer = Type.Object({
  accepted: Type.Integer(),
  duplicate: Type.Boolean(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), field: Type.String(), reason: Type.String() }))
});

export default async function telemetryRoutes(app: FastifyInstance): Promise<void> {
  // The body's bytes, kept beside the parsed batch: a retried batch is known by their hash,
  // which is far cheaper than serializing the records again. Only this plugin's routes see this parser.
  const bodyBytes = new WeakMap<object, Buffer>();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    bodyBytes.set(request, body as Buffer);
    parseJson(request, (body as Buffer).toString('utf8'), done);
  });

  app.post<{ Body: IngestBody }>(
    '/api/v1/telemetry',
    { bodyLimit: BODY_LIMIT, schema: { body: Batch, response: { 200: Answer } }, preHandler: requireKey },
    async (request) => app.ingestor.ingest(request.principal!, request.body, bodyBytes.get(request))
  );
}
