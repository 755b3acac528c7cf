import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';
import type { Tenant } from '../../server/model.ts';

interface TenantRow {
  id: string;
  name: string;
  parent_id: string | null;
  kind: Tenant['kind'];
  timezone: string | null;
  contact: string;
}

/** Every tenant, as last written. */
export async function registryTenants(client: ClickHouseClient): Promise<Tenant[]> {
  const found = await rows<TenantRow>(client, 'SELECT id, name, parent_id, kind, timezone, contact FROM tenants FINAL');
  return found.map((r) => {
    const tenant: Tenant = { id: r.id, name: r.name, parent_id: r.parent_id, kind: r.kind };
    if (r.timezone !== null) tenant.timezone = r.timezone;
    const contact = JSON.parse(r.contact || '{}') as Tenant['contact'];
    if (contact && Object.keys(contact).length > 0) tenant.contact = contact;
    return tenant;
  });
}
