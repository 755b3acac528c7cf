// Telemetry in: check each record, enrich it with its plant and plant-local date, work out how
// much it raises its device's day energy, store the batch once (batch_id is the ClickHouse
// insert_deduplication_token), then hand it to live state. Batches are stored one at a time so
// that the energy arithmetic of one never races another's.
import type { ClickHouseClient } from '@clickhouse/client';
import { createHash } from 'node:crypto';
import { insertRows } from '../db/store.ts';
import { deviceDailyMaxima } from '../../aggregates/queries/deviceDailyMaxima.ts';
import { ingestBatch } from '../../aggregates/queries/ingestBatch.ts';
import type { Principal } from '../auth/principal.ts';
import { ClientError } from '../errors.ts';
import type { LiveState, AppliedRecord } from '../live/state.ts';
import type { IngestResult, Rejection } from '../model.ts';
import type { Registry } from '../registry/registry.ts';
import { localDate } from '../time/zones.ts';
import { checkRecord } from './validate.ts';

export interface IngestBody {
  batch_id?: string;
  records: unknown[];
}

const LEDGER_MEMORY = 50_000;

export class Ingestor {
  readonly #client: ClickHouseClient;
  readonly #registry: Registry;
  readonly #live: LiveState;
  readonly #now: () => number;
  readonly #onApplied: () => void;
  #queue: Promise<unknown> = Promise.resolve();
  /** Recently stored batches, so that a retry rarely needs the store to be answered. */
  readonly #ledger = new Map<string, { hash: string; accepted: number; rejected: Rejection[] }>();

  constructor(client: ClickHouseClient, registry: Registry, live: LiveState, opts: { now?: () => number; onApplied?: () => void } = {}) {
    this.#client = client;
    this.#registry = registry;
    this.#live = live;
    this.#now = opts.now ?? Date.now;
    this.#onApplied = opts.onApplied ?? (() => {});
  }

  ingest(principal: Principal, body: IngestBody): Promise<IngestResult> {
    const run = this.#queue.then(() => this.#ingest(principal, body));
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Resolves when every batch handed in so far has been stored (or has failed). */
  drain(): Promise<unknown> {
    return this.#queue;
  }

  async #ingest(principal: Principal, body: IngestBody): Promise<IngestResult> {
    const scope = principal.kind === 'root' ? '*' : principal.tenantId;
    const ledgerKey = body.batch_id === undefined ? null : `${scope}\u0000${body.batch_id}`;
    const hash = createHash('sha256').update(JSON.stringify(body.records)).digest('hex');
    if (ledgerKey !== null) {
      const stored = this.#ledger.get(ledgerKey) ?? (await this.#storedBatch(scope, body.batch_id!));
      if (stored) {
        if (stored.hash !== hash) {
          throw new ClientError(409, 'batch_id', `batch "${body.batch_id}" was already stored with other records; use a new batch_id`);
        }
        return { accepted: stored.accepted, duplicate: true, rejected: stored.rejected };
      }
    }

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
      records.push({ ...result.record, plant_id: plant.id, local_date: localDate(result.record.tsMs, plant.timezone), e_delta_kwh: 0 });
    });

    await this.#computeDeltas(records);
    if (records.length > 0) {
      const rows = records.map((r) => toRow(r, body.batch_id ?? '', now));
      // A batch id is the deduplication token: a retried batch is stored once, even after a crash.
      await insertRows(this.#client, 'telemetry', rows, body.batch_id === undefined ? undefined : `${scope}:${body.batch_id}`);
    }
    if (ledgerKey !== null) {
      const ledgerRow = { scope, batch_id: body.batch_id, records_hash: hash, accepted: records.length, rejected: JSON.stringify(rejected), received_at: now };
      await insertRows(this.#client, 'ingest_batches', [ledgerRow]);
      this.#remember(ledgerKey, { hash, accepted: records.length, rejected });
    }
    this.#live.apply(records, now);
    this.#onApplied();
    return { accepted: records.length, duplicate: false, rejected };
  }

  /** e_delta_kwh: how far each record raises its device's largest e_today_kwh for its local date. */
  async #computeDeltas(records: AppliedRecord[]): Promise<void> {
    const running = new Map<string, number>();
    const unknown = records.filter((r) => this.#live.knownDayMax(r.sn, r.local_date) === undefined);
    if (unknown.length > 0) {
      const sns = [...new Set(unknown.map((r) => r.sn))];
      const dates = [...new Set(unknown.map((r) => r.local_date))];
      for (const row of await deviceDailyMaxima(this.#client, sns, dates)) running.set(`${row.sn}|${row.local_date}`, row.kwh);
    }
    for (const r of records) {
      const key = `${r.sn}|${r.local_date}`;
      const before = running.get(key) ?? this.#live.knownDayMax(r.sn, r.local_date) ?? 0;
      r.e_delta_kwh = Math.max(0, r.e_today_kwh - before);
      running.set(key, Math.max(before, r.e_today_kwh));
    }
  }

  async #storedBatch(scope: string, batchId: string) {
    const row = await ingestBatch(this.#client, scope, batchId);
    return row && { hash: row.records_hash, accepted: row.accepted, rejected: JSON.parse(row.rejected) as Rejection[] };
  }

  #remember(key: string, entry: { hash: string; accepted: number; rejected: Rejection[] }): void {
    this.#ledger.set(key, entry);
    if (this.#ledger.size > LEDGER_MEMORY) this.#ledger.delete(this.#ledger.keys().next().value!);
  }
}

function toRow(r: AppliedRecord, batchId: string, receivedAt: number) {
  return {
    sn: r.sn,
    plant_id: r.plant_id,
    ts: r.tsMs, // DateTime64(3) reads an integer as milliseconds
    local_date: r.local_date,
    status: r.status,
    power_w: r.power_w,
    e_today_kwh: r.e_today_kwh,
    e_total_kwh: r.e_total_kwh,
    e_delta_kwh: r.e_delta_kwh,
    pv_v: r.pv.map((s) => s.v),
    pv_i: r.pv.map((s) => s.i),
    pv_p: r.pv.map((s) => s.p),
    battery_soc: r.battery_soc,
    battery_power_w: r.battery_power_w,
    grid_power_w: r.grid_power_w,
    load_power_w: r.load_power_w,
    temperature_c: r.temperature_c,
    fault_code: r.fault_code,
    batch_id: batchId,
    received_at: receivedAt
  };
}
