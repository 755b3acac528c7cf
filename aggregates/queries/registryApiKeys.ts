import type { ClickHouseClient } from '@clickhouse/client';
import type { ApiKeyRecord } from '../../server/auth/credentials.ts';
import { rows } from '../../server/db/store.ts';

/** Every API key (hashes only), as last written. */
export async function registryApiKeys(client: ClickHouseClient): Promise<ApiKeyRecord[]> {
  const found = await rows<Omit<ApiKeyRecord, 'revoked'> & { revoked: number }>(
    client,
    'SELECT id, tenant_id, label, key_hash, created_at, revoked FROM api_keys FINAL'
  );
  return found.map((r) => ({ ...r, revoked: r.revoked === 1 }));
}
