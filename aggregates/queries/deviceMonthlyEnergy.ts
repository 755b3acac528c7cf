import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';

export interface DeviceMonthlyEnergyRow {
  sn: string;
  /** YYYY-MM, plant-local */
  month: string;
  kwh: number;
}

/** Each device's energy per plant-local month since `since` (YYYY-MM-DD). Size: devices x months. */
export function deviceMonthlyEnergy(client: ClickHouseClient, since: string): Promise<DeviceMonthlyEnergyRow[]> {
  return rows<DeviceMonthlyEnergyRow>(
    client,
    `SELECT sn, formatDateTime(day, '%Y-%m') AS month, sum(kwh) AS kwh
     FROM (
       SELECT sn, local_date AS day, max(e_today_max) AS kwh
       FROM device_daily
       WHERE device_daily.local_date >= {since:Date}
       GROUP BY sn, day
     )
     GROUP BY sn, month`,
    { since }
  );
}
