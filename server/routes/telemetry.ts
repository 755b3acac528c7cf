// POST /api/v1/telemetry: valid records are stored, each invalid one is listed and not stored.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ClientError } from '../errors.ts';
import { requireKey } from '../http/auth.ts';
import { parseJsonBody } from '../http/json.ts';
import type { IngestBody } from '../ingest/ingest.ts';

const Batch = Type.Object({
  batch_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  // Records are checked one by one by ingest, so that one bad record does not sink the batch.
  records: Type.Array(Type.Unknown())
});

const Answer = Type.Object({
  accepted: Type.Integer(),
  duplicate: Type.Boolean(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), field: Type.String(), reason: Type.String() }))
});

export default async function telemetryRoutes(app: FastifyInstance): Promise<void> {
  const { bodyBytes: bodyLimit, batchRecords } = app.config.limits;
  // The body's bytes, kept beside the parsed batch: a retried batch is known by their hash,
  // which is far cheaper than serializing the records again. Only this plugin's routes see this
  // parser; it parses exactly as the app's own (strict UTF-8, no __proto__ keys).
  const bodyBytes = new WeakMap<object, Buffer>();
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    bodyBytes.set(request, body as Buffer);
    parseJsonBody(request, body as Buffer, done);
  });

  app.post<{ Body: IngestBody }>(
    '/api/v1/telemetry',
    {
      bodyLimit,
      config: { bodyLimitSetting: 'FLEETWALL_MAX_BATCH_BYTES' },
      schema: { body: Batch, response: { 200: Answer } },
      preHandler: requireKey
    },
    async (request) => {
      const count = request.body.records.length;
      if (count > batchRecords) {
        throw new ClientError(413, 'records', `a batch holds at most ${batchRecords} records, this one ${count}: split it (FLEETWALL_MAX_BATCH_RECORDS)`, {
          name: 'FLEETWALL_MAX_BATCH_RECORDS',
          max: batchRecords
        });
      }
      const answer = app.ingestor.ingest(request.principal!, request.body, bodyBytes.get(request));
      // The batch is checked and copied by now: the parsed body would otherwise live on while
      // the store works, and every garbage collection until then would copy it again.
      (request as { body: unknown }).body = null;
      return answer;
    }
  );
}
