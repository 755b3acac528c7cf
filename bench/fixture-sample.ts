// A sample of the fixture's plants, whole (every device): their registry entries, raw records,
// the deltas the fixture wrote for them, and every rollup's rows for them. bench/fixture-check.ts
// sends the records through the real ingest on a fresh store and compares what comes out.
import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../server/db/store.ts';
import type { Device, Plant, Tenant, TelemetryRecord } from '../server/model.ts';

export interface SampleFile {
  now: number;
  tenants: Tenant[];
  plants: Plant[];
  devices: Device[];
  /** In the order a datalogger would send them: by time. */
  records: TelemetryRecord[];
  checks: Record<string, unknown[]>;
}

/** Each rollup's content for the sample, merged the way its readers merge it; and the raw deltas. */
const CHECKS: Record<string, string> = {
  telemetry_deltas: `SELECT sn, toUnixTimestamp64Milli(ts) AS ts, local_date, e_delta_kwh, p_delta_w FROM telemetry WHERE sn IN {sns:Array(String)} ORDER BY sn, ts`,
  device_daily: `SELECT sn, local_date, any(plant_id) AS plant_id, max(e_today_max) AS e, max(e_total_max) AS total, sum(records) AS records
    FROM device_daily WHERE sn IN {sns:Array(String)} GROUP BY sn, local_date ORDER BY sn, local_date`,
  device_latest: `SELECT sn, plant_id, toUnixTimestamp64Milli(ts) AS ts, status, power_w, fault_code FROM device_latest FINAL WHERE sn IN {sns:Array(String)} ORDER BY sn`,
  device_lifetime: `SELECT sn, sum(energy_kwh) AS e, max(e_total_max) AS total FROM device_lifetime WHERE sn IN {sns:Array(String)} GROUP BY sn ORDER BY sn`,
  device_monthly_energy: `SELECT sn, month, sum(kwh) AS kwh FROM device_monthly_energy WHERE sn IN {sns:Array(String)} GROUP BY sn, month ORDER BY sn, month`,
  device_recent_daily: `SELECT sn, local_date, max(e_today_max) AS e FROM device_recent_daily WHERE sn IN {sns:Array(String)} GROUP BY sn, local_date ORDER BY sn, local_date`,
  plant_daily_energy: `SELECT plant_id, local_date, sum(kwh) AS kwh FROM plant_daily_energy WHERE plant_id IN {plants:Array(String)} GROUP BY plant_id, local_date ORDER BY plant_id, local_date`,
  plant_recent_daily_energy: `SELECT plant_id, local_date, sum(kwh) AS kwh FROM plant_recent_daily_energy WHERE plant_id IN {plants:Array(String)} GROUP BY plant_id, local_date ORDER BY plant_id, local_date`,
  plant_monthly_energy: `SELECT plant_id, month, sum(kwh) AS kwh FROM plant_monthly_energy WHERE plant_id IN {plants:Array(String)} GROUP BY plant_id, month ORDER BY plant_id, month`,
  plant_yearly_energy: `SELECT plant_id, year, sum(kwh) AS kwh FROM plant_yearly_energy WHERE plant_id IN {plants:Array(String)} GROUP BY plant_id, year ORDER BY plant_id, year`,
  plant_power_5min: `SELECT plant_id, bucket, sum(power_w) AS power_w FROM plant_power_5min WHERE plant_id IN {plants:Array(String)} GROUP BY plant_id, bucket HAVING power_w != 0 ORDER BY plant_id, bucket`
};

export async function runChecks(store: ClickHouseClient, plants: string[], sns: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(CHECKS)) out[name] = await rows(store, sql, { plants, sns });
  return out;
}

/** Six plants spread over the fleet: all four zones, offline, fault and protect devices among them. */
export function samplePlants(plants: number): string[] {
  return [...new Set([0, 1, 2, 3, Math.floor(plants / 3), plants - 1])].map((p) => `p${p}`);
}

export async function sampleChecks(store: ClickHouseClient, plantCount: number, now: number): Promise<SampleFile> {
  const plantIds = samplePlants(plantCount);
  const plants = await rows<Plant>(
    store,
    'SELECT id, tenant_id, name, lat, lon, timezone, capacity_kw FROM plants FINAL WHERE id IN {ids:Array(String)} ORDER BY id',
    { ids: plantIds }
  );
  const devices = await rows<Device>(store, 'SELECT sn, plant_id, kind, rated_power_w FROM devices FINAL WHERE plant_id IN {ids:Array(String)} ORDER BY sn', { ids: plantIds });
  const owners = plants.map((p) => p.tenant_id);
  const tenants = await rows<Tenant & { timezone: string | null }>(
    store,
    `SELECT id, name, parent_id, kind, timezone FROM tenants FINAL
     WHERE id = 'd' OR id IN {owners:Array(String)} OR id IN (SELECT parent_id FROM tenants FINAL WHERE id IN {owners:Array(String)})`,
    { owners }
  );
  const records = await rows<TelemetryRecord>(
    store,
    `SELECT sn, toUnixTimestamp(ts) AS ts, status, power_w, e_today_kwh, e_total_kwh, fault_code
     FROM telemetry WHERE plant_id IN {ids:Array(String)} ORDER BY ts, sn`,
    { ids: plantIds }
  );
  const sns = devices.map((d) => d.sn);
  return {
    now,
    // Parents first, so that a registry batch can refer to them.
    tenants: tenants
      .map(({ timezone, ...t }) => (timezone === null ? t : { ...t, timezone }))
      .sort((a, b) => ['distributor', 'installer', 'customer'].indexOf(a.kind) - ['distributor', 'installer', 'customer'].indexOf(b.kind)),
    plants,
    devices,
    records: records.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) as TelemetryRecord),
    checks: await runChecks(store, plantIds, sns)
  };
}
