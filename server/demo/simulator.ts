// The demo fleet simulator. It only talks to a sink with the same two operations any client
// has (registry upsert and telemetry ingest), so the demo exercises the real ingest path.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { IngestResult, RegistryBatch, TelemetryBatch, TelemetryRecord } from '../model.ts';
import { advanceDevice, createDeviceState, type DeviceState } from './device.ts';
import type { DemoFleet } from './fleet.ts';
import { historyRecords, planHistory } from './history.ts';
import { LifetimeEstimator } from './lifetime.ts';
import { hashString } from './random.ts';

export interface DemoSink {
  /** All-or-nothing bulk upsert (POST /api/v1/registry). */
  upsertRegistry(batch: RegistryBatch): Promise<void>;
  /** The POST /api/v1/telemetry logic. */
  ingest(batch: TelemetryBatch): Promise<IngestResult>;
}

export interface DemoSimulatorOptions {
  /** Clock in epoch milliseconds; Date.now by default. */
  now?: () => number;
  seed?: number;
  /** How often each device reports; 300 000 (5 minutes) by default. */
  cadenceMs?: number;
  /** How often the live loop sends what came due; 5 000 by default. */
  tickMs?: number;
  log?: (msg: string) => void;
}

export interface SeedSummary {
  records: number;
  batches: number;
}

export interface BackfillSummary {
  records: number;
  batches: number;
  cancelled: boolean;
}

/** Largest batch the simulator sends. */
export const MAX_BATCH_RECORDS = 10_000;
/** After a longer stall (a suspended laptop), the live loop skips ahead instead of replaying. */
const MAX_CATCH_UP_MS = 6 * 3_600_000;

export class DemoSimulator {
  readonly #fleet: DemoFleet;
  readonly #sink: DemoSink;
  readonly #now: () => number;
  readonly #seed: number;
  readonly #cadenceMs: number;
  readonly #tickMs: number;
  readonly #log: (msg: string) => void;
  readonly #lifetime: LifetimeEstimator;
  #states: DeviceState[] | null = null;
  #seeding = false;
  #timer: ReturnType<typeof setInterval> | null = null;
  #tickInFlight: Promise<number> | null = null;
  #backfill: Promise<BackfillSummary> | null = null;
  #cancelBackfill = false;

  constructor(fleet: DemoFleet, sink: DemoSink, opts: DemoSimulatorOptions = {}) {
    this.#fleet = fleet;
    this.#sink = sink;
    this.#now = opts.now ?? Date.now;
    this.#seed = opts.seed ?? 1;
    this.#cadenceMs = opts.cadenceMs ?? 300_000;
    this.#tickMs = opts.tickMs ?? 5_000;
    this.#log = opts.log ?? ((msg) => console.log(`[demo] ${msg}`));
    this.#lifetime = new LifetimeEstimator(this.#seed);
  }

  /**
   * Registers the fleet (one upsert), then sends every device's records from its plant's
   * local midnight up to now, oldest first. Failures are thrown: this runs before first paint.
   */
  async seedToday(): Promise<SeedSummary> {
    this.#seeding = true;
    try {
      const { tenants, plants, devices } = this.#fleet;
      await this.#sink.upsertRegistry({ tenants, plants, devices });
      const now = this.#now();
      const states = this.#createStates(now);
      const records: TelemetryRecord[] = [];
      for (const s of states) advanceDevice(s, now, this.#seed, this.#cadenceMs, records);
      sortByTs(records);
      this.#states = states;
      const stamp = new Date(now).toISOString();
      let batches = 0;
      for (let i = 0; i < records.length; i += MAX_BATCH_RECORDS) {
        const batch = { batch_id: `demo-today-${this.#seed}-${stamp}-${batches}`, records: records.slice(i, i + MAX_BATCH_RECORDS) };
        this.#report(batch, await this.#sink.ingest(batch));
        batches++;
      }
      return { records: records.length, batches };
    } finally {
      this.#seeding = false;
    }
  }

  /** Starts the live loop: every tickMs, one batch with the records that came due. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.tick(), this.#tickMs);
    this.#timer.unref?.();
  }

  /**
   * One step of the live loop: sends the records due since the previous step as one batch and
   * resolves to their count. Never rejects; a failed ingest is logged and its records dropped
   * (the next records carry the counters forward).
   */
  async tick(): Promise<number> {
    if (this.#seeding || this.#tickInFlight) return 0;
    const run = this.#tick();
    this.#tickInFlight = run;
    try {
      return await run;
    } finally {
      this.#tickInFlight = null;
    }
  }

  async #tick(): Promise<number> {
    try {
      const now = this.#now();
      const states = this.#states ?? this.#fastForward(now);
      const records: TelemetryRecord[] = [];
      for (const s of states) {
        if (now - s.nextReportMs > MAX_CATCH_UP_MS) advanceDevice(s, now - this.#cadenceMs, this.#seed, this.#cadenceMs, null);
        advanceDevice(s, now, this.#seed, this.#cadenceMs, records);
      }
      if (records.length === 0) return 0;
      sortByTs(records);
      const batch = { batch_id: `demo-live-${this.#seed}-${new Date(now).toISOString()}`, records };
      this.#report(batch, await this.#sink.ingest(batch));
      return records.length;
    } catch (err) {
      this.#log(`live tick failed: ${err instanceof Error ? err.message : String(err)}`);
      return 0;
    }
  }

  /**
   * Coarse history before today: one record per device and plant-local day, newest first, in
   * batches of at most MAX_BATCH_RECORDS with stable ids, yielding to the event loop between
   * batches. stop() cancels it; a failed batch is logged and skipped.
   */
  backfill(opts: { years?: number } = {}): Promise<BackfillSummary> {
    if (this.#backfill) return this.#backfill;
    this.#cancelBackfill = false;
    const run = this.#runBackfill(opts.years ?? 5).finally(() => {
      this.#backfill = null;
    });
    this.#backfill = run;
    return run;
  }

  async #runBackfill(years: number): Promise<BackfillSummary> {
    const plan = planHistory(this.#fleet, this.#now(), years);
    // The ids name the window and the plant-local todays it ends at, so a retry of the same
    // backfill deduplicates and a backfill on another day never collides with this one.
    const anchor = hashString([...plan.todays.values()].join(',')).toString(36);
    let records = 0;
    let batches = 0;
    let buffer: TelemetryRecord[] = [];
    const flush = async (): Promise<void> => {
      const batch = { batch_id: `demo-backfill-${plan.from}-${anchor}-${batches}`, records: buffer };
      buffer = [];
      batches++;
      try {
        this.#report(batch, await this.#sink.ingest(batch));
        records += batch.records.length;
      } catch (err) {
        this.#log(`backfill batch ${batch.batch_id} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      await yieldToEventLoop();
    };
    for (const record of historyRecords(plan, this.#seed, this.#lifetime)) {
      if (this.#cancelBackfill) return { records, batches, cancelled: true };
      buffer.push(record);
      if (buffer.length === MAX_BATCH_RECORDS) await flush();
    }
    if (buffer.length > 0 && !this.#cancelBackfill) await flush();
    return { records, batches, cancelled: this.#cancelBackfill };
  }

  /** Stops the live loop and any running backfill, and waits for work in flight. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#cancelBackfill = true;
    await Promise.allSettled([this.#tickInFlight, this.#backfill].filter((p) => p !== null));
  }

  #createStates(now: number): DeviceState[] {
    const plants = new Map(this.#fleet.plants.map((p) => [p.id, p]));
    const states: DeviceState[] = [];
    for (const device of this.#fleet.devices) {
      const plant = plants.get(device.plant_id);
      if (plant) states.push(createDeviceState(device, plant, this.#seed, this.#cadenceMs, now, this.#lifetime));
    }
    return states;
  }

  /** Live without seedToday (a restart over an existing store): state as of now, nothing sent. */
  #fastForward(now: number): DeviceState[] {
    const states = this.#createStates(now);
    for (const s of states) advanceDevice(s, now, this.#seed, this.#cadenceMs, null);
    this.#states = states;
    return states;
  }

  #report(batch: TelemetryBatch, result: IngestResult): void {
    if (result.rejected.length > 0) {
      const first = result.rejected[0]!;
      this.#log(`${batch.batch_id}: ${result.rejected.length} of ${batch.records.length} records rejected `
        + `(first: #${first.index} ${first.field}: ${first.reason})`);
    }
  }
}

function sortByTs(records: TelemetryRecord[]): void {
  // All ts are ISO strings of one format, so string order is time order.
  records.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}
