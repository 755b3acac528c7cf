import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';

export interface DevicePowerBucketRow {
  /** Bucket start, epoch milliseconds. */
  bucket: number;
  plant_id: string;
  sn: string;
  power_w: number;
}

/** Each device's last power in each 5-minute bucket since an instant (epoch ms). */
export function devicePowerBuckets(client: ClickHouseClient, sinceMs: number): Promise<DevicePowerBucketRow[]> {
  return rows<DevicePowerBucketRow>(
    client,
    `SELECT toUnixTimestamp(bucket) * 1000 AS bucket, plant_id, sn, argMaxMerge(power) AS power_w
     FROM device_power_5min
     WHERE bucket >= toDateTime({since:UInt32}, 'UTC')
     GROUP BY bucket, plant_id, sn`,
    { since: Math.floor(sinceMs / 1000) }
  );
}
