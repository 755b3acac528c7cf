import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';
import type { PlantYieldRow } from './plantYieldRow.ts';

/** Given plants' energy per plant-local month (YYYY-MM) for the months of two dates (inclusive). */
export function plantYieldByMonth(client: ClickHouseClient, plants: string[], from: string, to: string): Promise<PlantYieldRow[]> {
  return rows<PlantYieldRow>(
    client,
    `SELECT formatDateTime(month, '%Y-%m') AS period, plant_id, sum(kwh) AS kwh
     FROM plant_monthly_energy
     WHERE plant_id IN {plants:Array(String)} AND month BETWEEN toStartOfMonth({from:Date}) AND toStartOfMonth({to:Date})
     GROUP BY period, plant_id
     ORDER BY period, plant_id`,
    { plants, from, to }
  );
}
