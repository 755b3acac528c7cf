// A device's timestamp is read to the instant ISO 8601 says, whichever way it is written; the
// quick reading of the common shape must agree with the full one everywhere.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../../server/ingest/validate.ts';
import { parseCommonIso } from '../../../server/time/iso.ts';
import { localDate } from '../../../server/time/zones.ts';

describe('device timestamps', () => {
  it('reads every common form to the instant Date.parse gives', () => {
    const cases: string[] = [];
    for (const date of ['2026-11-21', '2024-02-29', '2025-02-29', '2026-02-28', '2026-04-31', '2026-12-31', '2026-13-01', '2026-00-10', '1969-12-31', '2000-01-01'])
      for (const time of ['00:00:00', '23:59:59', '12:30:05', '24:00:00', '23:60:00', '23:59:60', '1a:00:00'])
        for (const fraction of ['', '.5', '.123', '.999', '.1234', '.12a'])
          for (const zone of ['Z', 'z', '+00:00', '+01:00', '-03:30', '+14:00', '-12:00', '+23:59', '+24:00', '+0100', '+01', '-05:6x', ''])
            cases.push(`${date}T${time}${fraction}${zone}`);
    let common = 0;
    for (const ts of cases) {
      const expected = /([zZ]|[+-]\d{2}(:?\d{2})?)$/.test(ts) && !Number.isNaN(Date.parse(ts)) ? Date.parse(ts) : null;
      const quick = parseCommonIso(ts);
      if (quick !== null) {
        common++;
        expect(quick, ts).toBe(Date.parse(ts));
      }
      // Whatever the path, a timestamp the full parser cannot read is refused.
      if (expected === null) expect(parseTimestamp(ts), ts).toBeNull();
      else if (parseTimestamp(ts) !== null) expect(parseTimestamp(ts), ts).toBe(expected);
    }
    expect(common).toBeGreaterThan(300);
    expect(parseTimestamp('2026-11-21T08:05:00Z')).toBe(Date.UTC(2026, 10, 21, 8, 5));
    expect(parseTimestamp('2026-11-21T08:05:00.250+01:00')).toBe(Date.UTC(2026, 10, 21, 7, 5, 0, 250));
  });

  it('reads any instant from 1970 to 9999, at any offset and precision, as Date.parse does', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }),
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        fc.boolean(),
        (ms, offsetMin, withMs) => {
          // The wall-clock time at that offset, written with it.
          const wall = new Date(ms + offsetMin * 60_000);
          if (wall.getUTCFullYear() < 1970 || wall.getUTCFullYear() > 9999) return;
          const zone = offsetMin === 0 && withMs ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMin) / 60), 2)}:${pad(Math.abs(offsetMin) % 60, 2)}`;
          const text = wall.toISOString().slice(0, withMs ? 23 : 19) + zone;
          expect(parseCommonIso(text), text).toBe(Date.parse(text));
        }
      ),
      { numRuns: 20_000 }
    );
  });

  it('puts records on their own local day when a batch straddles midnight', () => {
    // Berlin in November is UTC+1: 22:59:59 UTC is the 21st, 23:00 UTC already the 22nd.
    const before = Date.parse('2026-11-21T22:59:59Z');
    const after = Date.parse('2026-11-21T23:00:00Z');
    const late = Date.parse('2026-11-18T12:00:00Z');
    for (let i = 0; i < 3; i++) {
      expect(localDate(before, 'Europe/Berlin')).toBe('2026-11-21');
      expect(localDate(after, 'Europe/Berlin')).toBe('2026-11-22');
      expect(localDate(late, 'Europe/Berlin')).toBe('2026-11-18');
    }
  });
});
