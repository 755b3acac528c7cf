import type { ClickHouseClient } from '@clickhouse/client';
import type { Invitation, Membership, User } from '../../server/accounts/accounts.ts';
import { rows } from '../../server/db/store.ts';

/** Every user, membership and invitation, as last written. */
export async function allAccounts(client: ClickHouseClient): Promise<{ users: User[]; memberships: Membership[]; invitations: Invitation[] }> {
  const [users, memberships, invitations] = await Promise.all([
    rows<User>(client, 'SELECT id, email, name, password_hash FROM users FINAL'),
    rows<Membership>(client, 'SELECT user_id, tenant_id, role FROM memberships FINAL'),
    rows<Omit<Invitation, 'used'> & { used: number }>(
      client,
      `SELECT id, token_hash, email, tenant_id, role, toUnixTimestamp64Milli(expires_at) AS expires_at, used FROM invitations FINAL`
    )
  ]);
  return { users, memberships, invitations: invitations.map((i) => ({ ...i, used: i.used === 1 })) };
}
