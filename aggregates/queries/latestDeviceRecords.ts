import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';
import type { ReportedStatus } from '../../server/contract.ts';

export interface LatestDeviceRecord {
  sn: string;
  plant_id: string;
  /** Epoch milliseconds. */
  ts: number;
  status: ReportedStatus;
  power_w: number;
  fault_code: string | null;
  battery_soc: number | null;
  battery_power_w: number | null;
  grid_power_w: number | null;
  load_power_w: number | null;
}

/** Each device's latest record. Size: devices. */
export function latestDeviceRecords(client: ClickHouseClient): Promise<LatestDeviceRecord[]> {
  return rows<LatestDeviceRecord>(
    client,
    `SELECT sn, plant_id, toUnixTimestamp64Milli(ts) AS ts, status, power_w, fault_code, battery_soc,
            battery_power_w, grid_power_w, load_power_w
     FROM device_latest FINAL`
  );
}
