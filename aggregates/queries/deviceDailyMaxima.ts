import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';
import type { DeviceDayMaxRow } from './deviceRecentDailyMaxima.ts';

/** The day energy stored so far for given (device, local date) pairs: what a late record adds to. */
export function deviceDailyMaxima(client: ClickHouseClient, sns: string[], dates: string[]): Promise<DeviceDayMaxRow[]> {
  return rows<DeviceDayMaxRow>(
    client,
    `SELECT sn, toString(local_date) AS local_date, max(e_today_max) AS kwh
     FROM device_daily
     WHERE sn IN {sns:Array(String)} AND device_daily.local_date IN {dates:Array(Date)}
     GROUP BY sn, local_date`,
    { sns, dates }
  );
}
