// Basic checks of the telemetry contract (DESIGN.md, external contract v1) on emitted records.
import { expect } from 'vitest';
import { STATUSES } from '../../../server/contract.ts';
import type { TelemetryRecord } from '../../../server/model.ts';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** What is wrong with a record, by field; empty when it keeps the contract. */
export function recordProblems(r: TelemetryRecord): string[] {
  const problems: string[] = [];
  if (typeof r.sn !== 'string' || r.sn.length === 0) problems.push('sn');
  if (typeof r.ts !== 'string' || !ISO_UTC.test(r.ts) || Number.isNaN(Date.parse(r.ts))) problems.push('ts');
  if (!(STATUSES as readonly string[]).includes(r.status)) problems.push('status');
  if (!Number.isFinite(r.power_w) || r.power_w < 0) problems.push('power_w');
  if (!Number.isFinite(r.e_today_kwh) || r.e_today_kwh < 0) problems.push('e_today_kwh');
  if (r.e_total_kwh !== undefined && (!Number.isFinite(r.e_total_kwh) || r.e_total_kwh < r.e_today_kwh - 0.1)) problems.push('e_total_kwh');
  for (const s of r.pv ?? []) if (![s.v, s.i, s.p ?? 0].every((x) => Number.isFinite(x) && x >= 0)) problems.push('pv');
  if (r.battery && (!(r.battery.soc >= 0 && r.battery.soc <= 100) || !Number.isFinite(r.battery.power_w))) problems.push('battery');
  if (r.temperature_c !== undefined && !(r.temperature_c > -50 && r.temperature_c < 100)) problems.push('temperature_c');
  if (r.fault_code !== undefined && r.status !== 'fault' && r.status !== 'protect') problems.push('fault_code');
  if ((r.status === 'fault' || r.status === 'protect') && (r.power_w !== 0 || !r.fault_code)) problems.push('fault');
  if (r.grid_power_w !== undefined && r.load_power_w !== undefined && r.battery) {
    // pv + grid = load + battery charge (+ charging, − discharging)
    if (Math.abs(r.power_w + r.grid_power_w - r.load_power_w - r.battery.power_w) > 2) problems.push('power balance');
  }
  return problems;
}

/** One assertion for many records: the first few that break the contract, with their problems. */
export function expectValidRecords(records: Iterable<TelemetryRecord>): void {
  const bad: string[] = [];
  for (const r of records) {
    const problems = recordProblems(r);
    if (problems.length > 0 && bad.length < 5) bad.push(`${problems.join(',')}: ${JSON.stringify(r)}`);
  }
  expect(bad).toEqual([]);
}
