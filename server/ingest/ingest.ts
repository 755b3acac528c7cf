// Telemetry in: check each record, enrich it with its plant and plant-local date, work out how
// much it raises its device's day energy, store the batch once (batch_id is the ClickHouse
// insert_deduplication_token), then hand it to live state. Batches are stored one at a time so
// that the energy arithmetic of one never races another's.
import type { ClickHouseClient } from '@clickhouse/client';
import { createHash, randomUUID } from 'node:crypto';
import { insertColumns, insertNative, insertRows } from '../db/store.ts';
import { deviceDailyMaxima } from '../../aggregates/queries/deviceDailyMaxima.ts';
import { batchTelemetryRows } from '../../aggregates/queries/batchTelemetryRows.ts';
import { ingestBatch } from '../../aggregates/queries/ingestBatch.ts';
import type { Principal } from '../auth/principal.ts';
import { StoreHealth } from '../db/health.ts';
import { ClientError, Unavailable } from '../errors.ts';
import type { LiveState } from '../live/state.ts';
import type { IngestResult, Plant, Rejection } from '../model.ts';
import type { Registry } from '../registry/registry.ts';
import { localDay } from '../time/zones.ts';
import { TelemetryBatch } from './batch.ts';
import { computeDeltas, Marks, type StoredMaxima } from './deltas.ts';
import { BatchJournal } from './journal.ts';
import { bySnAndTs, extent, sameRecord, TELEMETRY_COLUMNS, telemetryBlock } from './telemetryRows.ts';
import { checkInto } from './validate.ts';

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
  accepted: number;
  rejected: Rejection[];
}

interface CheckedBatch {
  scope: string;
  ledgerKey: string | null;
  stored: Promise<LedgerEntry | null>;
  batchId: string | undefined;
  /** Without a batch_id: the hash of the body's bytes, the batch's identity for retries ('' when none). */
  hash: string;
  now: number;
  records: TelemetryBatch;
  rejected: Rejection[];
}

export class Ingestor {
  readonly #client: ClickHouseClient;
  readonly #registry: Registry;
  readonly #live: LiveState;
  readonly #now: () => number;
  readonly #onApplied: () => void;
  readonly #onStored: (batch: TelemetryBatch) => Promise<void> | void;
  readonly #storedMaxima: StoredMaxima;
  #queue: Promise<unknown> = Promise.resolve();
  #pendingRecords = 0;
  #pendingBatches = 0;
  #stopped = false;
  readonly health: StoreHealth;
  readonly #journal: BatchJournal;
  /** Scratch for computeDeltas: each device's last record in the batch at hand. */
  readonly #lastOfDevice = new Marks();
  /** Recently stored batches, so that a retry rarely needs the store to be answered. */
  readonly #ledger = new Map<string, LedgerEntry>();

  constructor(
    client: ClickHouseClient,
    registry: Registry,
    live: LiveState,
    opts: {
      now?: () => number;
      onApplied?: () => void;
      /** A batch is stored and applied here: other instances are told (server/live/fleetStream.ts). */
      onStored?: (batch: TelemetryBatch) => Promise<void> | void;
      health?: StoreHealth;
      journalPath?: string;
    } = {}
  ) {
    this.#client = client;
    this.#journal = new BatchJournal(opts.journalPath ?? null);
    this.health = opts.health ?? new StoreHealth(client);
    this.#registry = registry;
    this.#live = live;
    this.#now = opts.now ?? Date.now;
    this.#onApplied = opts.onApplied ?? (() => {});
    this.#onStored = opts.onStored ?? (() => {});
    this.#storedMaxima = (sns, dates) => deviceDailyMaxima(client, sns, dates);
    // A batch a failure left unsettled is completed as soon as the store is back, so that the
    // wall shows it without waiting for the next batch.
    this.health.onChange(({ condition }) => {
      if (condition === 'ok') this.#queue = this.#queue.then(() => this.settle()).catch(() => {});
    });
  }

  /**
   * `bytes`: the body as it came over the wire, when it did. A batch's identity for retries is
   * its batch_id, or without one the hash of its bytes: a retry resends the same bytes.
   */
  ingest(principal: Principal, body: IngestBody, bytes?: Buffer): Promise<IngestResult> {
    const refusal = this.#refusal(body.records.length);
    if (refusal) return Promise.reject(refusal);
    // Checking runs outside the queue, so one batch is checked while the one before is stored.
    const checked = this.#check(principal, body, bytes);
    const size = body.records.length;
    this.#pendingRecords += size;
    this.#pendingBatches++;
    return this.#enqueue(() => this.#storeWatched(checked)).finally(() => {
      this.#pendingRecords -= size;
      this.#pendingBatches--;
    });
  }

  /**
   * Applies a batch another instance stored. It is queued with this instance's own batches, so
   * that each one's arithmetic sees the other's records, and its deltas are worked out against
   * this instance's live state: a batch this instance has already (from the store at start, or
   * read twice) raises nothing.
   */
  applyForeign(batch: TelemetryBatch): Promise<void> {
    return this.#enqueue(async () => {
      const now = this.#now();
      await computeDeltas(this.#live, batch, now, this.#lastOfDevice, null);
      this.#live.apply(batch, now);
      this.#onApplied();
    });
  }

  /** Runs `task` between batches (none is being stored or applied meanwhile). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#enqueue(task);
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** From now on every batch is refused (the server is stopping); those already in still finish. */
  stop(): void {
    this.#stopped = true;
  }

  /** Why a batch of this size cannot be taken now, if it cannot. */
  #refusal(size: number): Unavailable | null {
    if (this.#stopped) return new Unavailable('the server is restarting; send the batch again (to another instance or after the restart)', RETRY_AFTER_S);
    if (this.health.status.condition === 'failing') return this.#storeUnavailable();
    if (this.#pendingBatches > 0 && this.#pendingRecords + size > MAX_PENDING_RECORDS) {
      return new Unavailable(`the store is behind (${this.#pendingRecords} records waiting); nothing of this batch was stored, send it again later`, RETRY_AFTER_S);
    }
    return null;
  }

  #storeUnavailable(): Unavailable {
    const since = new Date(this.health.status.since).toISOString();
    return new Unavailable(`the store is unavailable since ${since}; nothing of this batch was stored, send it again later`, RETRY_AFTER_S);
  }

  async #storeWatched(batch: CheckedBatch): Promise<IngestResult> {
    // Batches queued behind the one that found the store failing are refused at once, as new ones
    // are: tried one by one, each would wait out the store's timeout before its client heard.
    if (this.health.status.condition === 'failing') throw this.#storeUnavailable();
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

  #check(principal: Principal, body: IngestBody, bytes: Buffer | undefined): CheckedBatch {
    const scope = principal.kind === 'tenant' ? principal.tenantId : '*';
    const now = this.#now();
    const tree = this.#registry.tree;
    // The plant of the device checkInto asked about last: it asks once per record, before it
    // can succeed, so on success this is the record's plant.
    let plant: Plant | undefined;
    const knownDevice = (sn: string) => {
      const plantId = tree.devices.plantOf(sn);
      plant = plantId === undefined ? undefined : tree.plants.get(plantId);
      return plant !== undefined && (principal.kind === 'root' || (principal.kind === 'tenant' && tree.isWithin(principal.tenantId, plant.tenant_id)));
    };
    const rejected: Rejection[] = [];
    const records = new TelemetryBatch(body.records.length);
    const raws = body.records;
    for (let index = 0; index < raws.length; index++) {
      const rejection = checkInto(records, raws[index], index, now, knownDevice);
      if (rejection !== null) {
        rejected.push(rejection);
        continue;
      }
      const k = records.length - 1;
      const day = localDay(records.ts[k], plant!.timezone);
      // The device's number in live state is looked up when the batch is stored (computeDeltas).
      records.place(-1, plant!.id, day.date, day.day);
    }
    const ledgerKey = body.batch_id === undefined ? null : `${scope}\u0000${body.batch_id}`;
    // Asked of the store now, while the batch before this one is being stored.
    const stored = ledgerKey === null || this.#ledger.has(ledgerKey) ? Promise.resolve(null) : this.#storedBatch(scope, body.batch_id!);
    stored.catch(() => {});
    return {
      scope,
      ledgerKey,
      stored,
      batchId: body.batch_id,
      // Without a batch_id, a body that came over the wire is still known by its bytes (see #store).
      // With one, nothing is hashed: a retry is compared with the stored rows, and retries are
      // rare next to the batches every datalogger sends, whose bytes would all be hashed.
      hash: body.batch_id === undefined && bytes !== undefined ? bodyHash(bytes) : '',
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
    if (rows.length === 0 && batch.records && !batch.applied) {
      // None of its rows yet, but a server's insert that timed out may still land: this process
      // still has the batch, so it is stored now under the same token, and whichever of the two
      // inserts comes second is the one deduplicated.
      await insertNative(this.#client, 'telemetry', telemetryBlock(batch.records, batch.batchId, batch.receivedAt), batch.token);
      this.#live.apply(batch.records, batch.receivedAt);
      this.#journal.applied();
      void this.#onStored(batch.records);
      await this.#settleLedger(batch.ledgerRow);
    } else if (rows.length > 0) {
      await insertColumns(this.#client, 'telemetry', TELEMETRY_COLUMNS, rows, batch.token);
      if (batch.records && !batch.applied && rows.length === batch.records.length) {
        this.#live.apply(batch.records, batch.receivedAt);
        this.#journal.applied();
        void this.#onStored(batch.records);
      }
      await this.#settleLedger(batch.ledgerRow);
    }
    this.#journal.end();
  }

  async #settleLedger(ledgerRow: Record<string, unknown> | null): Promise<void> {
    if (!ledgerRow) return;
    // Named one by one: a journal written by an earlier version may carry columns gone since.
    const { scope, batch_id, accepted, rejected, received_at } = ledgerRow as { scope: string; batch_id: string; accepted: number; rejected: string; received_at: number };
    await insertRows(this.#client, 'ingest_batches', [{ scope, batch_id, accepted, rejected, received_at }]);
    this.#remember(`${scope}\u0000${batch_id}`, { accepted, rejected: JSON.parse(rejected) as Rejection[] });
  }

  async #store(batch: CheckedBatch): Promise<IngestResult> {
    const { scope, ledgerKey, batchId, hash, now, records, rejected } = batch;
    await this.settle();
    if (ledgerKey !== null) {
      // Memory first: a batch stored since the prefetch was asked is only there.
      const stored = this.#ledger.get(ledgerKey) ?? (await batch.stored);
      if (stored) {
        // The stored rows decide, whatever the bytes (key order, spacing, number spelling).
        const same = await this.#sameAsStored(batchId!, records, rejected, stored);
        if (!same) throw new ClientError(409, 'batch_id', `batch "${batchId}" was already stored with other records; use a new batch_id`);
        return { accepted: stored.accepted, duplicate: true, rejected: stored.rejected };
      }
    }
    await computeDeltas(this.#live, records, now, this.#lastOfDevice, this.#storedMaxima);
    const ledgerRow =
      ledgerKey === null ? null : { scope, batch_id: batchId, accepted: records.length, rejected: JSON.stringify(rejected), received_at: now };
    if (records.length > 0) {
      // A batch id is the deduplication token: a retried batch is stored once, even after a crash.
      // Without one, the same bytes again are a retry too (the same records, reported twice), so
      // the hash of the body stands in for it; only a batch handed in without its bytes is unique.
      const token = batchId !== undefined ? `${scope}:${batchId}` : hash !== '' ? `${scope}:${hash}` : randomUUID();
      this.#journal.begin({ token, batchId: batchId ?? '', receivedAt: now, ledgerRow, ...extent(records) }, records);
      await insertNative(this.#client, 'telemetry', telemetryBlock(records, batchId ?? '', now), token);
      // Live state follows the telemetry table at once, even if the ledger row below fails: the
      // next batch's energy arithmetic must see these records, or their energy would count twice.
      this.#live.apply(records, now);
      this.#journal.applied();
      await this.#onStored(records);
    }
    if (ledgerKey !== null) {
      await insertRows(this.#client, 'ingest_batches', [ledgerRow!]);
      this.#remember(ledgerKey, { accepted: records.length, rejected });
    }
    this.#journal.end();
    this.#onApplied();
    return { accepted: records.length, duplicate: false, rejected };
  }

  /** Whether a batch's checked records are exactly those stored under its id the first time. */
  async #sameAsStored(batchId: string, b: TelemetryBatch, rejected: Rejection[], stored: LedgerEntry): Promise<boolean> {
    if (b.length !== stored.accepted || rejected.length !== stored.rejected.length) return false;
    if (rejected.some((r, i) => r.index !== stored.rejected[i].index || r.field !== stored.rejected[i].field)) return false;
    // The retry's own extent: the same records lie within it, other ones come up short.
    if (b.length === 0) return true;
    const rows = bySnAndTs(await batchTelemetryRows(this.#client, { batchId, ...extent(b) }));
    if (rows.length !== b.length) return false;
    const order = Array.from({ length: b.length }, (_, k) => k).sort((x, y) => (b.sn[x] < b.sn[y] ? -1 : b.sn[x] > b.sn[y] ? 1 : b.ts[x] - b.ts[y]));
    return order.every((k, i) => sameRecord(b, k, rows[i]));
  }

  async #storedBatch(scope: string, batchId: string): Promise<LedgerEntry | null> {
    const row = await ingestBatch(this.#client, scope, batchId);
    return row && { accepted: row.accepted, rejected: JSON.parse(row.rejected) as Rejection[] };
  }

  #remember(key: string, entry: LedgerEntry): void {
    this.#ledger.set(key, entry);
    if (this.#ledger.size > LEDGER_MEMORY) this.#ledger.delete(this.#ledger.keys().next().value!);
  }
}

const BODY_HASH = 'body:';

function bodyHash(bytes: Buffer | string): string {
  return BODY_HASH + createHash('sha256').update(bytes).digest('hex');
}
