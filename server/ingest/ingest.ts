// Telemetry in: check each record, enrich it with its plant and plant-local date, work out how
// much it raises its device's day energy, store the batch once (batch_id is the ClickHouse
// insert_deduplication_token), then hand it to live state. Batches are stored one at a time so
// that the energy arithmetic of one never races another's.
import type { ClickHouseClient } from '@clickhouse/client';
import { createHash, randomUUID } from 'node:crypto';
import { insertColumns, insertRows } from '../db/store.ts';
import { deviceDailyMaxima } from '../../aggregates/queries/deviceDailyMaxima.ts';
import { batchTelemetryRows } from '../../aggregates/queries/batchTelemetryRows.ts';
import { ingestBatch } from '../../aggregates/queries/ingestBatch.ts';
import type { Principal } from '../auth/principal.ts';
import { StoreHealth } from '../db/health.ts';
import { ClientError, Unavailable } from '../errors.ts';
import { BUCKET_MS, BUCKETS_KEPT_MS, type AppliedRecord, type LiveState } from '../live/state.ts';
import type { IngestResult, Rejection } from '../model.ts';
import type { Registry } from '../registry/registry.ts';
import { localDate } from '../time/zones.ts';
import { BatchJournal } from './journal.ts';
import { checkRecord } from './validate.ts';

export interface IngestBody {
  batch_id?: string;
  records: unknown[];
}

const LEDGER_MEMORY = 50_000;
/**
 * Records waiting for the store, at most (one batch is always let in, whatever its size): a slow
 * store makes clients wait and then retry, it does not make the server hold ever more batches.
 */
export const MAX_PENDING_RECORDS = 100_000;
/** What a refused client is told to wait before sending again. */
export const RETRY_AFTER_S = 5;

interface LedgerEntry {
  hash: string;
  accepted: number;
  rejected: Rejection[];
}

interface CheckedBatch {
  scope: string;
  ledgerKey: string | null;
  stored: Promise<LedgerEntry | null>;
  batchId: string | undefined;
  hash: string;
  now: number;
  records: AppliedRecord[];
  rejected: Rejection[];
}

export class Ingestor {
  readonly #client: ClickHouseClient;
  readonly #registry: Registry;
  readonly #live: LiveState;
  readonly #now: () => number;
  readonly #onApplied: () => void;
  #queue: Promise<unknown> = Promise.resolve();
  #pendingRecords = 0;
  #pendingBatches = 0;
  #stopped = false;
  readonly health: StoreHealth;
  readonly #journal: BatchJournal;
  /** Recently stored batches, so that a retry rarely needs the store to be answered. */
  readonly #ledger = new Map<string, LedgerEntry>();

  constructor(
    client: ClickHouseClient,
    registry: Registry,
    live: LiveState,
    opts: { now?: () => number; onApplied?: () => void; health?: StoreHealth; journalPath?: string } = {}
  ) {
    this.#client = client;
    this.#journal = new BatchJournal(opts.journalPath ?? null);
    this.health = opts.health ?? new StoreHealth(client);
    this.#registry = registry;
    this.#live = live;
    this.#now = opts.now ?? Date.now;
    this.#onApplied = opts.onApplied ?? (() => {});
  }

  ingest(principal: Principal, body: IngestBody): Promise<IngestResult> {
    const refusal = this.#refusal(body.records.length);
    if (refusal) return Promise.reject(refusal);
    // Checking runs outside the queue, so one batch is checked while the one before is stored.
    const checked = this.#check(principal, body);
    const size = body.records.length;
    this.#pendingRecords += size;
    this.#pendingBatches++;
    const run = this.#queue.then(() => this.#storeWatched(checked));
    this.#queue = run.catch(() => {});
    return run.finally(() => {
      this.#pendingRecords -= size;
      this.#pendingBatches--;
    });
  }

  /** From now on every batch is refused (the server is stopping); those already in still finish. */
  stop(): void {
    this.#stopped = true;
  }

  /** Why a batch of this size cannot be taken now, if it cannot. */
  #refusal(size: number): Unavailable | null {
    if (this.#stopped) return new Unavailable('the server is restarting; send the batch again (to another instance or after the restart)', RETRY_AFTER_S);
    const { condition, since } = this.health.status;
    if (condition === 'failing') {
      return new Unavailable(`the store is unavailable since ${new Date(since).toISOString()}; nothing of this batch was stored, send it again later`, RETRY_AFTER_S);
    }
    if (this.#pendingBatches > 0 && this.#pendingRecords + size > MAX_PENDING_RECORDS) {
      return new Unavailable(`the store is behind (${this.#pendingRecords} records waiting); nothing of this batch was stored, send it again later`, RETRY_AFTER_S);
    }
    return null;
  }

  async #storeWatched(batch: CheckedBatch): Promise<IngestResult> {
    try {
      return await this.health.watch(() => this.#store(batch), (error) => !(error instanceof ClientError));
    } catch (error) {
      if (error instanceof ClientError) throw error;
      // Not acknowledged: the client sends it again, and its batch_id makes sure it counts once.
      throw new Unavailable(`the store failed (${error instanceof Error ? error.message : String(error)}); the batch is not acknowledged, send it again with the same batch_id`, RETRY_AFTER_S);
    }
  }

  /** Resolves when every batch handed in so far has been stored (or has failed). */
  drain(): Promise<unknown> {
    return this.#queue;
  }

  #check(principal: Principal, body: IngestBody): CheckedBatch {
    const scope = principal.kind === 'tenant' ? principal.tenantId : '*';
    const now = this.#now();
    const tree = this.#registry.tree;
    const knownDevice = (sn: string) => {
      const device = tree.devices.get(sn);
      const plant = device && tree.plants.get(device.plant_id);
      return plant !== undefined && (principal.kind === 'root' || (principal.kind === 'tenant' && tree.isWithin(principal.tenantId, plant.tenant_id)));
    };
    const rejected: Rejection[] = [];
    const records: AppliedRecord[] = [];
    body.records.forEach((raw, index) => {
      const result = checkRecord(raw, index, now, knownDevice);
      if (!result.ok) return void rejected.push(result.rejection);
      const plant = tree.plants.get(tree.devices.get(result.record.sn)!.plant_id)!;
      records.push({ ...result.record, plant_id: plant.id, local_date: localDate(result.record.tsMs, plant.timezone), e_delta_kwh: 0, p_delta_w: 0 });
    });
    const ledgerKey = body.batch_id === undefined ? null : `${scope}\u0000${body.batch_id}`;
    // Asked of the store now, while the batch before this one is being stored.
    const stored = ledgerKey === null || this.#ledger.has(ledgerKey) ? Promise.resolve(null) : this.#storedBatch(scope, body.batch_id!);
    stored.catch(() => {});
    return {
      scope,
      ledgerKey,
      stored,
      batchId: body.batch_id,
      // The batch's identity for retries: its records, whatever the whitespace of the body.
      hash: body.batch_id === undefined ? '' : createHash('sha256').update(JSON.stringify(body.records)).digest('hex'),
      now,
      records,
      rejected
    };
  }

  /**
   * Completes the batch a crash or a store failure left unsettled (see journal.ts): at start,
   * before live state is read from the store, and before any later batch is stored.
   */
  async settle(): Promise<void> {
    const batch = this.#journal.unsettled;
    if (!batch) return;
    const rows = await batchTelemetryRows(this.#client, batch);
    if (rows.length > 0) {
      await insertColumns(this.#client, 'telemetry', TELEMETRY_COLUMNS, rows, batch.token);
      if (batch.records && !batch.applied && rows.length === batch.records.length) {
        this.#live.apply(batch.records, batch.receivedAt);
        this.#journal.applied();
      }
      if (batch.ledgerRow) {
        await insertRows(this.#client, 'ingest_batches', [batch.ledgerRow]);
        const row = batch.ledgerRow as { scope: string; batch_id: string; records_hash: string; accepted: number; rejected: string };
        this.#remember(`${row.scope}\u0000${row.batch_id}`, { hash: row.records_hash, accepted: row.accepted, rejected: JSON.parse(row.rejected) as Rejection[] });
      }
    }
    this.#journal.end();
  }

  async #store(batch: CheckedBatch): Promise<IngestResult> {
    const { scope, ledgerKey, batchId, hash, now, records, rejected } = batch;
    await this.settle();
    if (ledgerKey !== null) {
      // Memory first: a batch stored since the prefetch was asked is only there.
      const stored = this.#ledger.get(ledgerKey) ?? (await batch.stored);
      if (stored) {
        if (stored.hash !== hash) {
          throw new ClientError(409, 'batch_id', `batch "${batchId}" was already stored with other records; use a new batch_id`);
        }
        return { accepted: stored.accepted, duplicate: true, rejected: stored.rejected };
      }
    }
    await this.#computeDeltas(records, now);
    const ledgerRow =
      ledgerKey === null ? null : { scope, batch_id: batchId, records_hash: hash, accepted: records.length, rejected: JSON.stringify(rejected), received_at: now };
    if (records.length > 0) {
      const rows = records.map((r) => toRow(r, batchId ?? '', now));
      // A batch id is the deduplication token: a retried batch is stored once, even after a crash.
      const token = batchId === undefined ? randomUUID() : `${scope}:${batchId}`;
      this.#journal.begin({ token, batchId: batchId ?? '', receivedAt: now, ledgerRow, ...extent(records) }, records);
      await insertColumns(this.#client, 'telemetry', TELEMETRY_COLUMNS, rows, token);
      // Live state follows the telemetry table at once, even if the ledger row below fails: the
      // next batch's energy arithmetic must see these records, or their energy would count twice.
      this.#live.apply(records, now);
      this.#journal.applied();
    }
    if (ledgerKey !== null) {
      await insertRows(this.#client, 'ingest_batches', [ledgerRow!]);
      this.#remember(ledgerKey, { hash, accepted: records.length, rejected });
    }
    this.#journal.end();
    this.#onApplied();
    return { accepted: records.length, duplicate: false, rejected };
  }

  /**
   * e_delta_kwh: how far each record raises its device's largest e_today_kwh for its local date.
   * p_delta_w: how much it changes its plant's power in its 5-minute bucket, where a device
   * counts with its last record in the bucket.
   */
  async #computeDeltas(records: AppliedRecord[], now: number): Promise<void> {
    // Day energy so far per device and date, from memory; what memory no longer holds (late
    // records for old days) is asked of the store in one query.
    const running = new Map<string, number>();
    const unknownSns = new Set<string>();
    const unknownDates = new Set<string>();
    for (const r of records) {
      const key = `${r.sn}|${r.local_date}`;
      if (running.has(key)) continue;
      const known = this.#live.knownDayMax(r.sn, r.local_date);
      if (known === undefined) {
        unknownSns.add(r.sn);
        unknownDates.add(r.local_date);
      } else running.set(key, known);
    }
    if (unknownSns.size > 0) {
      for (const row of await deviceDailyMaxima(this.#client, [...unknownSns], [...unknownDates])) running.set(`${row.sn}|${row.local_date}`, row.kwh);
    }
    for (const r of records) {
      const key = `${r.sn}|${r.local_date}`;
      const before = running.get(key) ?? 0;
      r.e_delta_kwh = Math.max(0, r.e_today_kwh - before);
      if (r.e_today_kwh > before) running.set(key, r.e_today_kwh);
    }
    const lastInBucket = new Map<string, { ts: number; p: number } | undefined>();
    for (const r of records) {
      if (r.tsMs < now - BUCKETS_KEPT_MS) continue;
      const bucket = Math.floor(r.tsMs / BUCKET_MS);
      const key = `${r.sn}|${bucket}`;
      const previous = lastInBucket.has(key) ? lastInBucket.get(key) : this.#live.knownBucket(r.sn, bucket);
      if (previous && r.tsMs < previous.ts) continue;
      r.p_delta_w = r.power_w - (previous?.p ?? 0);
      lastInBucket.set(key, { ts: r.tsMs, p: r.power_w });
    }
  }

  async #storedBatch(scope: string, batchId: string): Promise<LedgerEntry | null> {
    const row = await ingestBatch(this.#client, scope, batchId);
    return row && { hash: row.records_hash, accepted: row.accepted, rejected: JSON.parse(row.rejected) as Rejection[] };
  }

  #remember(key: string, entry: LedgerEntry): void {
    this.#ledger.set(key, entry);
    if (this.#ledger.size > LEDGER_MEMORY) this.#ledger.delete(this.#ledger.keys().next().value!);
  }
}

/** Where a batch's rows sit in the telemetry sort key, to find them again. */
function extent(records: AppliedRecord[]): { plantIds: string[]; tsFrom: number; tsTo: number } {
  let tsFrom = Infinity;
  let tsTo = -Infinity;
  const plants = new Set<string>();
  for (const r of records) {
    plants.add(r.plant_id);
    if (r.tsMs < tsFrom) tsFrom = r.tsMs;
    if (r.tsMs > tsTo) tsTo = r.tsMs;
  }
  return { plantIds: [...plants], tsFrom, tsTo };
}

const TELEMETRY_COLUMNS = [
  'sn', 'plant_id', 'ts', 'local_date', 'status', 'power_w', 'e_today_kwh', 'e_total_kwh', 'e_delta_kwh', 'p_delta_w',
  'pv_v', 'pv_i', 'pv_p', 'battery_soc', 'battery_power_w', 'grid_power_w', 'load_power_w', 'temperature_c', 'fault_code',
  'batch_id', 'received_at'
] as const;

/** One telemetry row in the order of TELEMETRY_COLUMNS; ts and received_at in milliseconds (DateTime64(3) ticks). */
function toRow(r: AppliedRecord, batchId: string, receivedAt: number): unknown[] {
  return [
    r.sn, r.plant_id, r.tsMs, r.local_date, r.status, r.power_w, r.e_today_kwh, r.e_total_kwh, r.e_delta_kwh, r.p_delta_w,
    r.pv.map((s) => s.v), r.pv.map((s) => s.i), r.pv.map((s) => s.p), r.battery_soc, r.battery_power_w, r.grid_power_w,
    r.load_power_w, r.temperature_c, r.fault_code, batchId, receivedAt
  ];
}
