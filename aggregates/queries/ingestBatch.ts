import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';

export interface IngestBatchRow {
  accepted: number;
  /** JSON of the rejections answered the first time. */
  rejected: string;
}

/** A batch id already stored for a submitting scope, if any. */
export async function ingestBatch(client: ClickHouseClient, scope: string, batchId: string): Promise<IngestBatchRow | null> {
  const found = await rows<IngestBatchRow>(
    client,
    `SELECT accepted, rejected FROM ingest_batches FINAL
     WHERE scope = {scope:String} AND batch_id = {batch_id:String} LIMIT 1`,
    { scope, batch_id: batchId }
  );
  return found[0] ?? null;
}
