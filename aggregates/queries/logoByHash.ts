import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';

export interface LogoRow {
  content_type: string;
  data_base64: string;
}

/** A stored logo by the SHA-256 of its bytes. */
export async function logoByHash(client: ClickHouseClient, hash: string): Promise<LogoRow | null> {
  const found = await rows<LogoRow>(client, 'SELECT content_type, data_base64 FROM logos WHERE hash = {hash:String} LIMIT 1', { hash });
  return found[0] ?? null;
}
