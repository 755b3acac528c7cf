// Secrets a browser holds: admin sessions, screen sessions and one-time screen pairing codes.
// Random, handed out once, stored only as SHA-256; revocable, and expired by time.
import type { ClickHouseClient } from '@clickhouse/client';
import { randomBytes } from 'node:crypto';
import { allSecrets } from '../../aggregates/queries/allSecrets.ts';
import { insertRows } from '../db/store.ts';
import { WriteListeners } from '../db/writes.ts';
import { nextVersion } from '../registry/version.ts';
import { sha256 } from './credentials.ts';

export type SecretKind = 'user_session' | 'screen_session' | 'screen_pairing';

export interface SecretRecord {
  id: string;
  secret_hash: string;
  kind: SecretKind;
  subject_id: string;
  created_at: number;
  expires_at: number;
  revoked: boolean;
}

export class Secrets {
  readonly #client: ClickHouseClient;
  readonly #byHash = new Map<string, SecretRecord>();
  readonly #byId = new Map<string, SecretRecord>();
  readonly written = new WriteListeners();

  constructor(client: ClickHouseClient) {
    this.#client = client;
  }

  async load(now = Date.now()): Promise<void> {
    const records = await allSecrets(this.#client);
    // Read first, then swapped at once: a reload (what another instance wrote) never shows a gap.
    this.#byHash.clear();
    this.#byId.clear();
    for (const record of records) if (!record.revoked && record.expires_at > now) this.#put(record);
  }

  async issue(kind: SecretKind, subjectId: string, ttlMs: number, now = Date.now()): Promise<{ id: string; secret: string }> {
    const secret = randomBytes(32).toString('base64url');
    const record: SecretRecord = {
      id: randomBytes(9).toString('base64url'),
      secret_hash: sha256(secret),
      kind,
      subject_id: subjectId,
      created_at: now,
      expires_at: now + ttlMs,
      revoked: false
    };
    await this.#write(record);
    this.#put(record);
    return { id: record.id, secret };
  }

  /** The live record behind a secret of a kind, or null. */
  find(secret: string, kind: SecretKind, now = Date.now()): SecretRecord | null {
    const record = this.#byHash.get(sha256(secret));
    return record && record.kind === kind && !record.revoked && record.expires_at > now ? record : null;
  }

  async revoke(record: SecretRecord): Promise<void> {
    record.revoked = true;
    await this.#write(record);
    this.#byHash.delete(record.secret_hash);
    this.#byId.delete(record.id);
  }

  /** Revokes every secret of a kind held for a subject (all sessions of a screen, say). */
  async revokeSubject(kind: SecretKind, subjectId: string): Promise<number> {
    const records = [...this.#byId.values()].filter((r) => r.kind === kind && r.subject_id === subjectId);
    for (const record of records) await this.revoke(record);
    return records.length;
  }

  count(kind: SecretKind, subjectId: string, now = Date.now()): number {
    let n = 0;
    for (const r of this.#byId.values()) if (r.kind === kind && r.subject_id === subjectId && r.expires_at > now) n++;
    return n;
  }

  async #write(record: SecretRecord): Promise<void> {
    await insertRows(this.#client, 'secrets', [{ ...record, revoked: record.revoked ? 1 : 0, version: nextVersion() }]);
    this.written.tell();
  }

  #put(record: SecretRecord): void {
    this.#byHash.set(record.secret_hash, record);
    this.#byId.set(record.id, record);
  }
}
