// Admin accounts: users, their roles in tenants, and invitations. A role on a tenant holds for
// its whole subtree; each tenant has one owner. Passwords are scrypt hashes; invitation tokens
// are stored as SHA-256 and work once.
import type { ClickHouseClient } from '@clickhouse/client';
import { randomBytes } from 'node:crypto';
import { allAccounts } from '../../aggregates/queries/allAccounts.ts';
import { sha256 } from '../auth/credentials.ts';
import { insertRows } from '../db/store.ts';
import { WriteListeners } from '../db/writes.ts';
import { ClientError } from '../errors.ts';
import type { RegistryTree } from '../registry/tree.ts';
import { nextVersion } from '../registry/version.ts';
import { DUMMY_HASH, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';

export type Role = 'owner' | 'admin' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'viewer'];

export interface User {
  id: string;
  email: string;
  name: string;
  password_hash: string;
}

export interface Membership {
  user_id: string;
  tenant_id: string;
  role: Role;
}

export interface Invitation {
  id: string;
  token_hash: string;
  email: string;
  tenant_id: string;
  role: Role;
  expires_at: number;
  used: boolean;
}

const INVITATION_TTL_MS = 7 * 24 * 3_600_000;
const normalEmail = (email: string) => email.trim().toLowerCase();

export class Accounts {
  readonly #client: ClickHouseClient;
  readonly users = new Map<string, User>();
  readonly #byEmail = new Map<string, User>();
  /** user id -> tenant id -> role */
  readonly #roles = new Map<string, Map<string, Role>>();
  readonly #invitations = new Map<string, Invitation>();
  readonly written = new WriteListeners();

  constructor(client: ClickHouseClient) {
    this.#client = client;
  }

  async load(): Promise<void> {
    const { users, memberships, invitations } = await allAccounts(this.#client);
    // Read first, then swapped at once: a reload (what another instance wrote) never shows a gap.
    for (const map of [this.users, this.#byEmail, this.#roles, this.#invitations]) map.clear();
    for (const user of users) this.#putUser(user);
    for (const m of memberships) this.#putRole(m.user_id, m.tenant_id, m.role);
    for (const invitation of invitations) this.#invitations.set(invitation.id, invitation);
  }

  /** The user whose e-mail and password these are, or null; as slow for an unknown e-mail. */
  async login(email: string, password: string): Promise<User | null> {
    const user = this.#byEmail.get(normalEmail(email));
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    return user && ok ? user : null;
  }

  /** The user's role on a tenant: from a membership of the tenant or of its nearest ancestor. */
  roleOn(userId: string, tenantId: string, tree: RegistryTree): Role | null {
    const roles = this.#roles.get(userId);
    if (!roles) return null;
    for (const tenant of tree.ancestors(tenantId)) {
      const role = roles.get(tenant.id);
      if (role) return role;
    }
    return null;
  }

  membershipsOf(userId: string): Membership[] {
    return [...(this.#roles.get(userId) ?? new Map<string, Role>())].map(([tenant_id, role]) => ({ user_id: userId, tenant_id, role }));
  }

  membersOf(tenantId: string): (Membership & { email: string; name: string })[] {
    const members: (Membership & { email: string; name: string })[] = [];
    for (const [userId, roles] of this.#roles) {
      const role = roles.get(tenantId);
      const user = this.users.get(userId);
      if (role && user) members.push({ user_id: userId, tenant_id: tenantId, role, email: user.email, name: user.name });
    }
    return members.sort((a, b) => a.email.localeCompare(b.email));
  }

  pendingInvitations(tenantId: string, now = Date.now()): Invitation[] {
    return [...this.#invitations.values()].filter((i) => i.tenant_id === tenantId && !i.used && i.expires_at > now);
  }

  async invite(tenantId: string, email: string, role: Role, now = Date.now()): Promise<{ invitation: Invitation; token: string }> {
    const token = randomBytes(32).toString('base64url');
    const invitation: Invitation = {
      id: randomBytes(9).toString('base64url'),
      token_hash: sha256(token),
      email: normalEmail(email),
      tenant_id: tenantId,
      role,
      expires_at: now + INVITATION_TTL_MS,
      used: false
    };
    await this.#writeInvitation(invitation);
    return { invitation, token };
  }

  invitationFor(token: string, now = Date.now()): Invitation | null {
    const hash = sha256(token);
    for (const invitation of this.#invitations.values()) {
      if (invitation.token_hash === hash && !invitation.used && invitation.expires_at > now) return invitation;
    }
    return null;
  }

  /** Sets the invitee's password (or checks it, for an existing account) and grants the role. */
  async accept(token: string, name: string, password: string, now = Date.now()): Promise<User> {
    const invitation = this.invitationFor(token, now);
    if (!invitation) throw new ClientError(404, 'token', 'this invitation link is not valid any more');
    let user = this.#byEmail.get(invitation.email);
    if (user) {
      if (!(await verifyPassword(password, user.password_hash))) {
        throw new ClientError(400, 'password', 'this e-mail address has an account already: enter its password');
      }
    } else {
      user = await this.createUser(invitation.email, name, password);
    }
    invitation.used = true;
    await this.#writeInvitation(invitation);
    await this.grant(user.id, invitation.tenant_id, invitation.role);
    return user;
  }

  async createUser(email: string, name: string, password: string): Promise<User> {
    if (password.length < MIN_PASSWORD_LENGTH) throw new ClientError(400, 'password', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
    if (this.#byEmail.has(normalEmail(email))) throw new ClientError(409, 'email', 'an account with this e-mail address exists');
    const user: User = { id: `usr_${randomBytes(9).toString('base64url')}`, email: normalEmail(email), name: name.trim() || normalEmail(email), password_hash: await hashPassword(password) };
    await insertRows(this.#client, 'users', [{ ...user, created_at: Date.now(), version: nextVersion() }]);
    this.#putUser(user);
    this.written.tell();
    return user;
  }

  /** Grants a role; granting `owner` makes the previous owner an admin (one owner per tenant). */
  async grant(userId: string, tenantId: string, role: Role): Promise<void> {
    if (role === 'owner') {
      for (const member of this.membersOf(tenantId)) {
        if (member.role === 'owner' && member.user_id !== userId) await this.#writeRole(member.user_id, tenantId, 'admin');
      }
    }
    await this.#writeRole(userId, tenantId, role);
  }

  async revokeMembership(userId: string, tenantId: string): Promise<void> {
    await insertRows(this.#client, 'memberships', [{ user_id: userId, tenant_id: tenantId, role: 'viewer', version: nextVersion(), deleted: 1 }]);
    this.#roles.get(userId)?.delete(tenantId);
    this.written.tell();
  }

  async #writeRole(userId: string, tenantId: string, role: Role): Promise<void> {
    await insertRows(this.#client, 'memberships', [{ user_id: userId, tenant_id: tenantId, role, version: nextVersion() }]);
    this.#putRole(userId, tenantId, role);
    this.written.tell();
  }

  async #writeInvitation(invitation: Invitation): Promise<void> {
    await insertRows(this.#client, 'invitations', [{ ...invitation, used: invitation.used ? 1 : 0, version: nextVersion() }]);
    this.#invitations.set(invitation.id, invitation);
    this.written.tell();
  }

  #putUser(user: User): void {
    this.users.set(user.id, user);
    this.#byEmail.set(user.email, user);
  }

  #putRole(userId: string, tenantId: string, role: Role): void {
    let roles = this.#roles.get(userId);
    if (!roles) this.#roles.set(userId, (roles = new Map()));
    roles.set(tenantId, role);
  }
}
