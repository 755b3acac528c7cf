import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';
import type { Plant } from '../../server/model.ts';
import { withoutNulls } from './withoutNulls.ts';

/** Every plant, as last written. */
export async function registryPlants(client: ClickHouseClient): Promise<Plant[]> {
  const found = await rows<Plant>(
    client,
    'SELECT id, tenant_id, name, lat, lon, timezone, capacity_kw, country, city, built_on FROM plants FINAL'
  );
  return found.map(withoutNulls);
}
