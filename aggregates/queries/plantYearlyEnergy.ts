import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';

export interface PlantYearlyEnergyRow {
  plant_id: string;
  year: number;
  kwh: number;
}

/** Every plant's energy per plant-local year. Size: plants x years. */
export function plantYearlyEnergy(client: ClickHouseClient): Promise<PlantYearlyEnergyRow[]> {
  return rows<PlantYearlyEnergyRow>(
    client,
    `SELECT plant_id, year, sum(kwh) AS kwh FROM plant_yearly_energy GROUP BY plant_id, year`
  );
}
