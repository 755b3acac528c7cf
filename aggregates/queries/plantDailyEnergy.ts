import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';

export interface PlantDailyEnergyRow {
  plant_id: string;
  local_date: string;
  kwh: number;
}

/**
 * Every plant's energy per plant-local date since `since` (YYYY-MM-DD), within the last 62 days
 * (plant_recent_daily_energy, 013). Size: plants x those days.
 */
export function plantDailyEnergy(client: ClickHouseClient, since: string): Promise<PlantDailyEnergyRow[]> {
  return rows<PlantDailyEnergyRow>(
    client,
    `SELECT plant_id, toString(local_date) AS local_date, sum(kwh) AS kwh
     FROM plant_recent_daily_energy
     WHERE plant_recent_daily_energy.local_date >= {since:Date}
     GROUP BY plant_id, local_date`,
    { since }
  );
}
