import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';

export interface BatchRecordRow {
  sn: string;
  /** Epoch milliseconds. */
  ts: number;
  status: string;
  power_w: number;
  e_today_kwh: number;
  e_total_kwh: number | null;
  pv_v: number[];
  pv_i: number[];
  pv_p: (number | null)[];
  battery_soc: number | null;
  battery_power_w: number | null;
  grid_power_w: number | null;
  load_power_w: number | null;
  temperature_c: number | null;
  fault_code: string | null;
}

/** The raw records stored under a batch id for these devices, as they were sent, in (sn, ts) order. */
export function batchRecords(client: ClickHouseClient, batchId: string, sns: string[]): Promise<BatchRecordRow[]> {
  return rows<BatchRecordRow>(
    client,
    `SELECT sn, toUnixTimestamp64Milli(ts) AS ts, status, power_w, e_today_kwh, e_total_kwh, pv_v, pv_i, pv_p,
            battery_soc, battery_power_w, grid_power_w, load_power_w, temperature_c, fault_code
     FROM telemetry
     WHERE batch_id = {batch_id:String} AND sn IN {sns:Array(String)}
     ORDER BY sn, ts`,
    { batch_id: batchId, sns }
  );
}
