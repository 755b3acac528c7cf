// The alarm list the wall keeps: the snapshot's, then each delta's new ones on top.
import type { AlarmEvent } from '$contract';

/** Enough for a full-height ticker on the tallest wall; older ones fall off so memory stays flat. */
export const MAX_ALARMS = 200;

const identity = (a: AlarmEvent) => `${a.at}|${a.sn}|${a.kind}|${a.fault_code ?? ''}`;

/** `incoming` (newest first) on top of `current`, deduplicated, newest first, at most `max`. */
export function mergeAlarms(current: readonly AlarmEvent[], incoming: readonly AlarmEvent[], max = MAX_ALARMS): AlarmEvent[] {
  const seen = new Set<string>();
  const merged: AlarmEvent[] = [];
  for (const alarm of [...incoming, ...current]) {
    const id = identity(alarm);
    if (seen.has(id)) continue;
    seen.add(id);
    merged.push(alarm);
  }
  // A delta's alarms are newer than what we hold, but a late one must still sort into place.
  merged.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return merged.slice(0, max);
}

/** A stable key for an alarm row (for keyed lists and the test hook). */
export const alarmKey = identity;
