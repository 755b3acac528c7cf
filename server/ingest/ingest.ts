// Telemetry in: check each record, enrich it with its plant and plant-local date, work out how
// much it raises its device's day energy, store the batch once (batch_id is the ClickHouse
// insert_deduplication_token), then hand it to live state. Batches are stored one at a time so
// that the energy arithmetic of one never races another's.
import type { ClickHouseClient } from '@clickhouse/client';
import { createHash, randomUUID } from 'node:crypto';
import { insertColumnar, insertColumns, insertRows } from '../db/store.ts';
import { deviceDailyMaxima } from '../../aggregates/queries/deviceDailyMaxima.ts';
import { batchTelemetryRows } from '../../aggregates/queries/batchTelemetryRows.ts';
import { ingestBatch } from '../../aggregates/queries/ingestBatch.ts';
import type { Principal } from '../auth/principal.ts';
import { StoreHealth } from '../db/health.ts';
import { ClientError, Unavailable } from '../errors.ts';
import { BUCKET_MS, BUCKETS_KEPT_MS, type AppliedRecord, type LiveState } from '../live/state.ts';
import type { IngestResult, Plant, Rejection } from '../model.ts';
import type { Registry } from '../registry/registry.ts';
import { localDate } from '../time/zones.ts';
import { BatchJournal } from './journal.ts';
import { bySnAndTs, extent, sameRecord, TELEMETRY_COLUMNS, telemetryColumns } from './telemetryRows.ts';
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
  /** The identity ledger rows written before bodies were hashed as bytes carry. */
  legacyHash: () => string;
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
    // A batch a failure left unsettled is completed as soon as the store is back, so that the
    // wall shows it without waiting for the next batch.
    this.health.onChange(({ condition }) => {
      if (condition === 'ok') this.#queue = this.#queue.then(() => this.settle()).catch(() => {});
    });
  }

  /**
   * `bytes`: the body as it came over the wire, when it did. A batch's identity for retries is
   * the hash of its bytes (of its JSON when handed in as an object): cheap, and a retry resends
   * the same bytes.
   */
  ingest(principal: Principal, body: IngestBody, bytes?: Buffer): Promise<IngestResult> {
    const refusal = this.#refusal(body.records.length);
    if (refusal) return Promise.reject(refusal);
    // Checking runs outside the queue, so one batch is checked while the one before is stored.
    const checked = this.#check(principal, body, bytes);
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
    // The plant of the device checkRecord asked about last: it asks once per record, before it
    // can succeed, so on success this is the record's plant.
    let plant: Plant | undefined;
    const knownDevice = (sn: string) => {
      const plantId = tree.devices.plantOf(sn);
      plant = plantId === undefined ? undefined : tree.plants.get(plantId);
      return plant !== undefined && (principal.kind === 'root' || (principal.kind === 'tenant' && tree.isWithin(principal.tenantId, plant.tenant_id)));
    };
    const rejected: Rejection[] = [];
    const records: AppliedRecord[] = [];
    const raws = body.records;
    for (let index = 0; index < raws.length; index++) {
      const result = checkRecord(raws[index], index, now, knownDevice);
      if (!result.ok) {
        rejected.push(result.rejection);
        continue;
      }
      const record = result.record as AppliedRecord;
      record.plant_id = plant!.id;
      record.local_date = localDate(record.tsMs, plant!.timezone);
      record.e_delta_kwh = 0;
      record.p_delta_w = 0;
      records.push(record);
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
      hash: body.batch_id === undefined ? '' : bodyHash(bytes ?? JSON.stringify(body)),
      legacyHash: () => legacyHash(body),
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
        // Other bytes may still be the same records (key order, spacing, number spelling): the
        // stored rows decide. Retries nearly always resend the same bytes, so this path is rare.
        const same =
          stored.hash === hash ||
          (stored.hash.startsWith(BODY_HASH) ? await this.#sameAsStored(batchId!, records, rejected, stored) : stored.hash === batch.legacyHash());
        if (!same) throw new ClientError(409, 'batch_id', `batch "${batchId}" was already stored with other records; use a new batch_id`);
        return { accepted: stored.accepted, duplicate: true, rejected: stored.rejected };
      }
    }
    await this.#computeDeltas(records, now);
    const ledgerRow =
      ledgerKey === null ? null : { scope, batch_id: batchId, records_hash: hash, accepted: records.length, rejected: JSON.stringify(rejected), received_at: now };
    if (records.length > 0) {
      // A batch id is the deduplication token: a retried batch is stored once, even after a crash.
      const token = batchId === undefined ? randomUUID() : `${scope}:${batchId}`;
      this.#journal.begin({ token, batchId: batchId ?? '', receivedAt: now, ledgerRow, ...extent(records) }, records);
      await insertColumnar(this.#client, 'telemetry', telemetryColumns(records, batchId ?? '', now), token);
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
    // records for old days) is asked of the store in one query. Keyed by device, then a short
    // list of dates (nearly always one), so that no key string is built per record.
    const days = new Map<string, DayRun>();
    const runOf: DayRun[] = new Array(records.length);
    const unknown: DayRun[] = [];
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      const first = days.get(r.sn);
      let run = first;
      while (run !== undefined && run.date !== r.local_date) run = run.next;
      if (run === undefined) {
        const known = this.#live.knownDayMax(r.sn, r.local_date);
        run = { sn: r.sn, date: r.local_date, kwh: known ?? 0, next: first };
        days.set(r.sn, run);
        if (known === undefined) unknown.push(run);
      }
      runOf[i] = run;
    }
    if (unknown.length > 0) {
      const maxima = await deviceDailyMaxima(this.#client, [...new Set(unknown.map((u) => u.sn))], [...new Set(unknown.map((u) => u.date))]);
      for (const row of maxima) {
        let run = days.get(row.sn);
        while (run !== undefined && run.date !== row.local_date) run = run.next;
        if (run !== undefined) run.kwh = row.kwh;
      }
    }
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      const run = runOf[i];
      r.e_delta_kwh = Math.max(0, r.e_today_kwh - run.kwh);
      if (r.e_today_kwh > run.kwh) run.kwh = r.e_today_kwh;
    }
    // The last record per device and 5-minute bucket, as above: by device, then bucket.
    const buckets = new Map<string, BucketRun>();
    for (const r of records) {
      if (r.tsMs < now - BUCKETS_KEPT_MS) continue;
      const bucket = Math.floor(r.tsMs / BUCKET_MS);
      const first = buckets.get(r.sn);
      let run = first;
      while (run !== undefined && run.bucket !== bucket) run = run.next;
      if (run === undefined) {
        const known = this.#live.knownBucket(r.sn, bucket);
        run = { bucket, ts: known?.ts ?? -Infinity, p: known?.p ?? 0, next: first };
        buckets.set(r.sn, run);
      }
      if (r.tsMs < run.ts) continue;
      r.p_delta_w = r.power_w - run.p;
      run.ts = r.tsMs;
      run.p = r.power_w;
    }
  }

  /** Whether a batch's checked records are exactly those stored under its id the first time. */
  async #sameAsStored(batchId: string, records: AppliedRecord[], rejected: Rejection[], stored: LedgerEntry): Promise<boolean> {
    if (records.length !== stored.accepted || rejected.length !== stored.rejected.length) return false;
    if (rejected.some((r, i) => r.index !== stored.rejected[i].index || r.field !== stored.rejected[i].field)) return false;
    // The retry's own extent: the same records lie within it, other ones come up short.
    const rows = bySnAndTs(await batchTelemetryRows(this.#client, { batchId, ...extent(records) }));
    if (rows.length !== records.length) return false;
    const sorted = [...records].sort((a, b) => (a.sn < b.sn ? -1 : a.sn > b.sn ? 1 : a.tsMs - b.tsMs));
    return sorted.every((r, i) => sameRecord(r, rows[i]));
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

/** What a device's day energy has reached so far in this batch, per local date. */
interface DayRun {
  sn: string;
  date: string;
  kwh: number;
  next: DayRun | undefined;
}

/** A device's last record so far in a 5-minute bucket. */
interface BucketRun {
  bucket: number;
  ts: number;
  p: number;
  next: BucketRun | undefined;
}

const BODY_HASH = 'body:';

function bodyHash(bytes: Buffer | string): string {
  return BODY_HASH + createHash('sha256').update(bytes).digest('hex');
}

/** The hash of a batch's records as JSON, which ledger rows of earlier versions carry. */
function legacyHash(body: IngestBody): string {
  return createHash('sha256').update(JSON.stringify(body.records)).digest('hex');
}
