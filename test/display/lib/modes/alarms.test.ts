import { describe, expect, it } from 'vitest';
import type { AlarmEvent } from '$contract';
import { mergeAlarms } from '$lib/modes/alarms.ts';

const alarm = (at: string, sn: string, kind: AlarmEvent['kind'] = 'fault'): AlarmEvent => ({
  at,
  sn,
  plant_id: 'p',
  plant_name: 'P',
  kind,
  fault_code: kind === 'fault' ? 'E01' : null
});

describe('mergeAlarms', () => {
  it('puts new alarms on top, newest first, without duplicates', () => {
    const current = [alarm('2025-01-01T10:00:00Z', 'a'), alarm('2025-01-01T09:00:00Z', 'b')];
    const merged = mergeAlarms(current, [alarm('2025-01-01T11:00:00Z', 'c'), alarm('2025-01-01T10:00:00Z', 'a')]);
    expect(merged.map((a) => a.sn)).toEqual(['c', 'a', 'b']);
  });

  it('keeps at most the newest few, so a wall running for weeks stays small', () => {
    const many = Array.from({ length: 300 }, (_, i) => alarm(new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(), `d${i}`));
    const merged = mergeAlarms([], many, 200);
    expect(merged).toHaveLength(200);
    expect(merged[0].sn).toBe('d299');
  });
});
