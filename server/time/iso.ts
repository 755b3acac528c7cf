// The shape nearly every device sends, "2026-11-21T08:05:00Z", "...:00.123Z" or "...:00+01:00",
// read with arithmetic: Date.parse costs more than all the rest of checking a record. Anything
// else (other precisions, lower case, out-of-range fields, years before 1970) gives null, for
// the caller's full parser to decide.

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The value of `count` decimal digits at `at`, or -1. */
function digits(s: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function daysIn(year: number, month: number): number {
  return month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : MONTH_DAYS[month - 1];
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (years from 1970 on). */
function daysSinceEpoch(year: number, month: number, day: number): number {
  // Years that start in March put the leap day last (Howard Hinnant's days_from_civil).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

const DASH = 45, COLON = 58, T = 84, Z = 90, DOT = 46, PLUS = 43;

/** Epoch milliseconds of a timestamp of the common shape, or null when it is not of that shape. */
export function parseCommonIso(s: string): number | null {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH || s.charCodeAt(10) !== T || s.charCodeAt(13) !== COLON || s.charCodeAt(16) !== COLON) return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  let at = 19;
  let ms = 0;
  if (s.charCodeAt(at) === DOT) {
    ms = digits(s, at + 1, 3);
    if (ms < 0) return null;
    at += 4;
  }
  let offsetMin = 0;
  const sign = s.charCodeAt(at);
  if (at === n - 1 && sign === Z) offsetMin = 0;
  else if (at === n - 6 && (sign === PLUS || sign === DASH) && s.charCodeAt(at + 3) === COLON) {
    const oh = digits(s, at + 1, 2);
    const om = digits(s, at + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return null;
    offsetMin = (sign === PLUS ? 1 : -1) * (oh * 60 + om);
  } else return null;
  return (((daysSinceEpoch(year, month, day) * 24 + hour) * 60 + minute - offsetMin) * 60 + second) * 1000 + ms;
}
