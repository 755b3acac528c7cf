// Store faults around the real embedded engine: every call the app makes (query, insert,
// command) passes a gate that, when told, fails it (as a lost server would) or holds it until
// released (as a stalled one would). The engine underneath is the real one throughout.
import type { ClickHouseClient } from '@clickhouse/client';

export class StoreFaults {
  #mode: 'ok' | 'fail' | 'failInserts' | 'stall' = 'ok';
  #release: () => void = () => {};
  #held: Promise<void> = Promise.resolve();
  /** Inserts to let through before failing, with failInserts(after). */
  #insertsLeft = 0;
  /** Calls that reached the gate while failing or stalled. */
  hits = 0;

  /** Every call fails. */
  fail(): void {
    this.#mode = 'fail';
  }

  /** Inserts fail after `after` more succeed; queries still work (a store that broke mid-batch). */
  failInserts(after: number): void {
    this.#insertsLeft = after;
    this.#mode = 'failInserts';
  }

  stall(): void {
    this.#mode = 'stall';
    this.#held = new Promise((resolve) => (this.#release = resolve));
  }

  recover(): void {
    this.#mode = 'ok';
    this.#release();
  }

  async gate(method: string): Promise<void> {
    if (this.#mode === 'ok') return;
    if (this.#mode === 'failInserts') {
      if (method !== 'insert') return;
      if (this.#insertsLeft > 0) return void this.#insertsLeft--;
    }
    this.hits++;
    if (this.#mode !== 'stall') throw new Error('connect ECONNREFUSED 127.0.0.1:8123');
    await this.#held;
  }
}

export function faultyStore(store: ClickHouseClient, faults: StoreFaults): ClickHouseClient {
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop !== 'query' && prop !== 'insert' && prop !== 'command' && prop !== 'exec') return value.bind(target);
      return async (...args: unknown[]) => {
        // Telemetry goes in through exec (a streamed INSERT): an insert all the same.
        const query = (args[0] as { query?: unknown } | undefined)?.query;
        await faults.gate(prop === 'exec' && typeof query === 'string' && /^\s*INSERT\b/i.test(query) ? 'insert' : prop);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    }
  });
}
