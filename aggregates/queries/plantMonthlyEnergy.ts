import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';

export interface PlantMonthlyEnergyRow {
  plant_id: string;
  /** YYYY-MM */
  month: string;
  kwh: number;
}

/** Every plant's energy per plant-local month since `since` (first day of a month). */
export function plantMonthlyEnergy(client: ClickHouseClient, since: string): Promise<PlantMonthlyEnergyRow[]> {
  return rows<PlantMonthlyEnergyRow>(
    client,
    `SELECT plant_id, formatDateTime(month, '%Y-%m') AS month, sum(kwh) AS kwh
     FROM plant_monthly_energy
     WHERE plant_monthly_energy.month >= {since:Date}
     GROUP BY plant_id, month`,
    { since }
  );
}
