import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';
import type { PlantYieldRow } from './plantYieldRow.ts';

/** Given plants' energy per plant-local year for the years of two dates (inclusive). */
export function plantYieldByYear(client: ClickHouseClient, plants: string[], from: string, to: string): Promise<PlantYieldRow[]> {
  return rows<PlantYieldRow>(
    client,
    `SELECT toString(year) AS period, plant_id, sum(kwh) AS kwh
     FROM plant_yearly_energy
     WHERE plant_id IN {plants:Array(String)} AND year BETWEEN toYear({from:Date}) AND toYear({to:Date})
     GROUP BY period, plant_id
     ORDER BY period, plant_id`,
    { plants, from, to }
  );
}
