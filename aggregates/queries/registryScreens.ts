import type { ClickHouseClient } from '@clickhouse/client';
import type { ScreenRecord } from '../../server/auth/credentials.ts';
import { rows } from '../../server/db/store.ts';

/** Every screen (token hashes only), as last written. */
export async function registryScreens(client: ClickHouseClient): Promise<ScreenRecord[]> {
  const found = await rows<Omit<ScreenRecord, 'revoked'> & { revoked: number }>(
    client,
    'SELECT id, tenant_id, name, token_hash, created_at, revoked FROM screens FINAL'
  );
  return found.map((r) => ({ ...r, revoked: r.revoked === 1 }));
}
