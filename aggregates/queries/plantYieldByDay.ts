import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';
import type { PlantYieldRow } from './plantYieldRow.ts';

/** Given plants' energy per plant-local date between two dates (inclusive). */
export function plantYieldByDay(client: ClickHouseClient, plants: string[], from: string, to: string): Promise<PlantYieldRow[]> {
  return rows<PlantYieldRow>(
    client,
    `SELECT toString(local_date) AS period, plant_id, sum(kwh) AS kwh
     FROM plant_daily_energy
     WHERE plant_id IN {plants:Array(String)} AND plant_daily_energy.local_date BETWEEN {from:Date} AND {to:Date}
     GROUP BY period, plant_id
     ORDER BY period, plant_id`,
    { plants, from, to }
  );
}
