import type { ClickHouseClient } from '@clickhouse/client';
import type { OwnBranding } from '../../server/branding/branding.ts';
import { rows } from '../../server/db/store.ts';

/** Every tenant's own branding, as last written. */
export function allBranding(client: ClickHouseClient): Promise<(OwnBranding & { tenant_id: string })[]> {
  return rows(client, 'SELECT tenant_id, title, logo_hash, accent_color, theme, co2_factor, tree_co2_kg, coal_kg_per_kwh, language FROM branding FINAL');
}
