import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';

export interface DeviceMonthlyEnergyRow {
  sn: string;
  /** YYYY-MM, plant-local */
  month: string;
  kwh: number;
}

/** Each device's energy per plant-local month from the month of `since` (YYYY-MM-DD) on. Size: devices x those months. */
export function deviceMonthlyEnergy(client: ClickHouseClient, since: string): Promise<DeviceMonthlyEnergyRow[]> {
  return rows<DeviceMonthlyEnergyRow>(
    client,
    `SELECT sn, formatDateTime(month, '%Y-%m') AS month, sum(kwh) AS kwh
     FROM device_monthly_energy
     WHERE device_monthly_energy.month >= toStartOfMonth({since:Date})
     GROUP BY sn, month`,
    { since }
  );
}
