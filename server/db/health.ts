// Whether the store is keeping up, as ingest sees it: 'failing' after a store operation threw,
// 'slow' while one has been running for longer than slowMs, 'ok' again after the next success.
// While failing, a cheap probe asks the store every probeMs, so that the server recovers by
// itself when the store comes back even if no client is sending.
import type { ClickHouseClient } from '@clickhouse/client';

/** Failures of the connection itself: the store is down, restarting, or not answering in time. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** ClickHouse's own errors that pass with time: timeouts, load, memory, too many parts. */
const TRANSIENT_CLICKHOUSE = new Set(['159', '202', '209', '210', '241', '252']);

/**
 * Whether an error says the store could not do the work now (as opposed to refusing the work
 * itself): asked again later, the same request may well succeed.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE.has(code) || TRANSIENT_CLICKHOUSE.has(code))) return true;
  // @clickhouse/client's request timeout (request_timeout) and a connection closed mid-answer.
  return error.message === 'Timeout error.' || error.message === 'socket hang up';
}

export type StoreCondition = 'ok' | 'slow' | 'failing';

export interface StoreStatus {
  condition: StoreCondition;
  /** Epoch ms the current condition began. */
  since: number;
  /** The last failure, for logs and answers. */
  reason?: string;
}

export interface StoreHealthOptions {
  now?: () => number;
  probeMs?: number;
  slowMs?: number;
}

export class StoreHealth {
  readonly #client: ClickHouseClient;
  readonly #now: () => number;
  readonly #probeMs: number;
  readonly #slowMs: number;
  readonly #listeners: ((status: StoreStatus) => void)[] = [];
  #status: StoreStatus;
  #probe: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(client: ClickHouseClient, opts: StoreHealthOptions = {}) {
    this.#client = client;
    this.#now = opts.now ?? Date.now;
    this.#probeMs = opts.probeMs ?? 2_000;
    this.#slowMs = opts.slowMs ?? 5_000;
    this.#status = { condition: 'ok', since: this.#now() };
  }

  get status(): StoreStatus {
    return this.#status;
  }

  onChange(listener: (status: StoreStatus) => void): void {
    this.#listeners.push(listener);
  }

  /** Runs store work, noting whether it succeeds, fails (isFault) or drags on. */
  async watch<T>(work: () => Promise<T>, isFault: (error: unknown) => boolean): Promise<T> {
    const slow = setTimeout(() => {
      if (this.#status.condition === 'ok') this.#set({ condition: 'slow', since: this.#now() });
    }, this.#slowMs);
    slow.unref();
    try {
      const result = await work();
      this.#set({ condition: 'ok', since: this.#now() });
      return result;
    } catch (error) {
      if (isFault(error)) this.#fail(error);
      else this.#set({ condition: 'ok', since: this.#now() });
      throw error;
    } finally {
      clearTimeout(slow);
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#probe) clearTimeout(this.#probe);
    this.#probe = null;
  }

  #fail(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const since = this.#status.condition === 'failing' ? this.#status.since : this.#now();
    this.#set({ condition: 'failing', since, reason });
    this.#scheduleProbe();
  }

  #scheduleProbe(): void {
    if (this.#probe || this.#closed) return;
    this.#probe = setTimeout(() => {
      this.#probe = null;
      if (this.#status.condition !== 'failing') return;
      this.#client
        .query({ query: 'SELECT 1', format: 'JSONEachRow' })
        .then((result) => result.json())
        .then(
          () => this.#status.condition === 'failing' && this.#set({ condition: 'ok', since: this.#now() }),
          (error: unknown) => this.#fail(error)
        );
    }, this.#probeMs);
    this.#probe.unref();
  }

  #set(status: StoreStatus): void {
    const changed = status.condition !== this.#status.condition;
    this.#status = status;
    if (changed) for (const listener of this.#listeners) listener(status);
  }
}
