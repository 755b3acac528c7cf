// A batch is unsettled from the start of its telemetry insert until its ledger row is written.
// Meanwhile a crash or a store failure can leave its raw rows stored without all of its rollup
// blocks: ClickHouse feeds the materialized views one after another, not atomically with the raw
// table. Settling inserts the rows the raw table holds for the batch again, with the batch's
// deduplication token: the raw table skips them, each rollup that missed its block gets it
// (deduplicate_blocks_in_dependent_materialized_views), and the ones that have it skip it. The
// rows are read back, not rebuilt, because their energy deltas must be the ones first stored.
// The journal keeps the one unsettled batch in a small file, so a start after kill -9 settles it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { TelemetryBatch } from './batch.ts';

export interface UnsettledBatch {
  /** The insert's deduplication token. */
  token: string;
  /** '' for a batch sent without a batch_id. */
  batchId: string;
  receivedAt: number;
  plantIds: string[];
  tsFrom: number;
  tsTo: number;
  /** The ledger row to write once settled; null for a batch without a batch_id. */
  ledgerRow: Record<string, unknown> | null;
}

interface Entry extends UnsettledBatch {
  /** In this process: the records, and whether live state has them yet. */
  records?: TelemetryBatch;
  applied?: boolean;
}

export class BatchJournal {
  readonly #path: string | null;
  #entry: Entry | null = null;

  /** With a path, an unsettled batch left by a previous process is picked up. */
  constructor(path: string | null) {
    this.#path = path;
    if (!path) return;
    try {
      this.#entry = JSON.parse(readFileSync(path, 'utf8')) as Entry;
    } catch {
      // No file (the previous process settled everything) or a torn write before any insert began.
      this.#entry = null;
    }
  }

  get unsettled(): Readonly<Entry> | null {
    return this.#entry;
  }

  /** Written before the telemetry insert starts. */
  begin(batch: UnsettledBatch, records: TelemetryBatch): void {
    if (this.#path) writeFileSync(this.#path, JSON.stringify(batch));
    this.#entry = { ...batch, records, applied: false };
  }

  applied(): void {
    if (this.#entry) this.#entry.applied = true;
  }

  end(): void {
    if (this.#entry === null) return;
    this.#entry = null;
    if (this.#path) rmSync(this.#path, { force: true });
  }
}
