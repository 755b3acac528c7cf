import type { ClickHouseClient } from '@clickhouse/client';
import { DEFAULT_SCREEN_SETTINGS, type ScreenRecord } from '../../server/auth/credentials.ts';
import { rows } from '../../server/db/store.ts';

/** Every screen (token hashes only), as last written. */
export async function registryScreens(client: ClickHouseClient): Promise<ScreenRecord[]> {
  const found = await rows<Omit<ScreenRecord, 'revoked' | 'settings'> & { revoked: number; settings: string }>(
    client,
    'SELECT id, tenant_id, name, token_hash, created_at, revoked, settings FROM screens FINAL'
  );
  return found.map((r) => ({ ...r, revoked: r.revoked === 1, settings: { ...DEFAULT_SCREEN_SETTINGS, ...(JSON.parse(r.settings || '{}') as object) } }));
}
