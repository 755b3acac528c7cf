import type { ClickHouseClient } from '@clickhouse/client';
import type { SecretRecord } from '../../server/auth/secrets.ts';
import { rows } from '../../server/db/store.ts';

/** Every stored secret (hashes only), as last written. */
export async function allSecrets(client: ClickHouseClient): Promise<SecretRecord[]> {
  const found = await rows<Omit<SecretRecord, 'revoked'> & { revoked: number }>(
    client,
    `SELECT id, secret_hash, kind, subject_id, toUnixTimestamp64Milli(created_at) AS created_at,
            toUnixTimestamp64Milli(expires_at) AS expires_at, revoked
     FROM secrets FINAL`
  );
  return found.map((r) => ({ ...r, revoked: r.revoked === 1 }));
}
