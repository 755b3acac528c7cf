import type { ClickHouseClient } from '@clickhouse/client';

/**
 * The telemetry rows one batch stored, exactly as ingest wrote them (ts and received_at as epoch
 * milliseconds), as arrays in the column order of ingest's insert. Found through the sort key
 * (plants, a ts range) so that it reads a few granules, not the table. Without `receivedAt`, the
 * rows stored under the batch id at any time (a retry does not know when the first try arrived).
 */
export async function batchTelemetryRows(
  client: ClickHouseClient,
  batch: { batchId: string; receivedAt?: number; plantIds: string[]; tsFrom: number; tsTo: number }
): Promise<unknown[][]> {
  const result = await client.query({
    query: `SELECT sn, plant_id, toUnixTimestamp64Milli(ts), toString(local_date), status, power_w, e_today_kwh, e_total_kwh, e_delta_kwh, p_delta_w,
                   pv_v, pv_i, pv_p, battery_soc, battery_power_w, grid_power_w, load_power_w, temperature_c, fault_code, batch_id,
                   toUnixTimestamp64Milli(received_at)
            FROM telemetry
            WHERE plant_id IN {plants:Array(String)}
              AND ts BETWEEN fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND fromUnixTimestamp64Milli({to:Int64}, 'UTC')
              AND batch_id = {batch:String} AND ({at:Int64} = 0 OR received_at = fromUnixTimestamp64Milli({at:Int64}, 'UTC'))`,
    query_params: { plants: batch.plantIds, from: batch.tsFrom, to: batch.tsTo, batch: batch.batchId, at: batch.receivedAt ?? 0 },
    format: 'JSONCompactEachRow'
  });
  return result.json<unknown[]>();
}
