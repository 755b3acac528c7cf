// An in-memory sink for the demo simulator: records every call, checks nothing.
import type { IngestResult, RegistryBatch, TelemetryBatch } from '../../../server/model.ts';
import type { DemoSink } from '../../../server/demo/simulator.ts';

export interface SinkCall {
  kind: 'registry' | 'ingest';
  registry?: RegistryBatch;
  batch?: TelemetryBatch;
}

export class MemorySink implements DemoSink {
  readonly calls: SinkCall[] = [];
  /** Called before each ingest resolves; lets a test slow ingest down or fail it. */
  beforeIngest: ((batch: TelemetryBatch) => Promise<void> | void) | null = null;

  async upsertRegistry(batch: RegistryBatch): Promise<void> {
    this.calls.push({ kind: 'registry', registry: batch });
  }

  async ingest(batch: TelemetryBatch): Promise<IngestResult> {
    await this.beforeIngest?.(batch);
    this.calls.push({ kind: 'ingest', batch });
    return { accepted: batch.records.length, duplicate: false, rejected: [] };
  }

  get batches(): TelemetryBatch[] {
    return this.calls.flatMap((c) => (c.batch ? [c.batch] : []));
  }

  get records() {
    return this.batches.flatMap((b) => b.records);
  }
}
