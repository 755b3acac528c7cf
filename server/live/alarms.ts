// Devices entering fault or protect, and coming back, as they happen: a bounded log that rooms
// read from (newest first), so the alarm ticker needs no database.
import type { ReportedStatus } from '../contract.ts';

export interface AlarmEntry {
  seq: number;
  at: number;
  sn: string;
  plant_id: string;
  kind: 'fault' | 'protect' | 'cleared';
  fault_code: string | null;
}

const KEPT = 5000;
const ALARMING = new Set<ReportedStatus>(['fault', 'protect']);

/** What a change of a device's reported status means for the alarm ticker, if anything. */
export function alarmKind(previous: ReportedStatus | null, next: ReportedStatus): AlarmEntry['kind'] | null {
  if (ALARMING.has(next) && previous !== next) return next as 'fault' | 'protect';
  if (previous !== null && ALARMING.has(previous) && !ALARMING.has(next)) return 'cleared';
  return null;
}

export class AlarmLog {
  readonly #entries: AlarmEntry[] = [];
  #seq = 0;

  get lastSeq(): number {
    return this.#seq;
  }

  push(entry: Omit<AlarmEntry, 'seq'>): void {
    this.#entries.push({ ...entry, seq: ++this.#seq });
    if (this.#entries.length > KEPT) this.#entries.splice(0, this.#entries.length - KEPT);
  }

  /** Entries after `seq` for plants in `plants`, newest first, at most `limit`. */
  since(seq: number, plants: ReadonlySet<string>, limit: number): AlarmEntry[] {
    const found: AlarmEntry[] = [];
    for (let i = this.#entries.length - 1; i >= 0 && found.length < limit && this.#entries[i].seq > seq; i--) {
      if (plants.has(this.#entries[i].plant_id)) found.push(this.#entries[i]);
    }
    return found;
  }

  /** The newest `limit` entries for plants in `plants`, newest first. */
  latest(plants: ReadonlySet<string>, limit: number): AlarmEntry[] {
    const found: AlarmEntry[] = [];
    for (let i = this.#entries.length - 1; i >= 0 && found.length < limit; i--) {
      if (plants.has(this.#entries[i].plant_id)) found.push(this.#entries[i]);
    }
    return found;
  }
}
