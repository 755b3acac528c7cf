import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';

export interface DeviceDayMaxRow {
  sn: string;
  local_date: string;
  kwh: number;
}

/**
 * Every device's day energy for local dates on or after `since` (YYYY-MM-DD), within the last 62
 * days (device_recent_daily, 013). Size: devices x those days.
 */
export function deviceRecentDailyMaxima(client: ClickHouseClient, since: string): Promise<DeviceDayMaxRow[]> {
  return rows<DeviceDayMaxRow>(
    client,
    `SELECT sn, toString(local_date) AS local_date, max(e_today_max) AS kwh
     FROM device_recent_daily
     WHERE device_recent_daily.local_date >= {since:Date}
     GROUP BY sn, local_date`,
    { since }
  );
}
