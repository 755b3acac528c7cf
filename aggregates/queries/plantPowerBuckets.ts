import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';

export interface PlantPowerBucketRow {
  /** Bucket start, epoch milliseconds. */
  bucket: number;
  plant_id: string;
  power_w: number;
}

/** Each plant's power in each 5-minute bucket since an instant (epoch ms). Size: plants x buckets. */
export function plantPowerBuckets(client: ClickHouseClient, sinceMs: number): Promise<PlantPowerBucketRow[]> {
  return rows<PlantPowerBucketRow>(
    client,
    `SELECT toUnixTimestamp(bucket) * 1000 AS bucket, plant_id, sum(power_w) AS power_w
     FROM plant_power_5min
     WHERE bucket >= toDateTime({since:UInt32}, 'UTC')
     GROUP BY bucket, plant_id`,
    { since: Math.floor(sinceMs / 1000) }
  );
}
