// API keys and screen tokens. Secrets are random, shown once, and stored only as SHA-256.
import type { ClickHouseClient } from '@clickhouse/client';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registryApiKeys } from '../../aggregates/queries/registryApiKeys.ts';
import { registryScreens } from '../../aggregates/queries/registryScreens.ts';
import { insertRows } from '../db/store.ts';
import { WriteListeners } from '../db/writes.ts';
import { nextVersion } from '../registry/version.ts';
import type { ScreenSettings } from '../contract.ts';
import type { Principal } from './principal.ts';

export interface ApiKeyRecord {
  id: string;
  tenant_id: string;
  label: string;
  key_hash: string;
  created_at: string;
  revoked: boolean;
}

export interface ScreenRecord {
  id: string;
  tenant_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  revoked: boolean;
  settings: ScreenSettings;
}

export const DEFAULT_SCREEN_SETTINGS: ScreenSettings = {
  mode: 'map',
  playlist: null,
  fly_through: null,
  plant_id: null,
  page_seconds: 12,
  theme: null,
  language: null,
  mask_personal: true,
  night: null,
  pixel_shift: true
};

export const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;
const newId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url')}`;

/** The root key: FLEETWALL_ROOT_KEY, or one generated once and kept in the data directory. */
export function resolveRootKey(configured: string | null, dataDir: string): { key: string; generated: boolean } {
  if (configured) return { key: configured, generated: false };
  const file = join(dataDir, 'root.key');
  if (existsSync(file)) return { key: readFileSync(file, 'utf8').trim(), generated: false };
  mkdirSync(dataDir, { recursive: true });
  const key = secret('fwroot');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return { key, generated: true };
}

export class Credentials {
  readonly #client: ClickHouseClient;
  readonly #rootHash: Buffer;
  readonly #keys = new Map<string, ApiKeyRecord>();
  readonly #keysByHash = new Map<string, ApiKeyRecord>();
  readonly screens = new Map<string, ScreenRecord>();
  readonly #screensByHash = new Map<string, ScreenRecord>();
  readonly written = new WriteListeners();

  constructor(client: ClickHouseClient, rootKey: string) {
    this.#client = client;
    this.#rootHash = Buffer.from(sha256(rootKey), 'hex');
  }

  async load(): Promise<void> {
    const [keys, screens] = await Promise.all([registryApiKeys(this.#client), registryScreens(this.#client)]);
    // Read first, then swapped at once: a reload (what another instance wrote) never shows a gap.
    for (const map of [this.#keys, this.#keysByHash, this.screens, this.#screensByHash]) map.clear();
    for (const key of keys) this.#putKey(key);
    for (const screen of screens) this.#putScreen(screen);
  }

  /** The principal behind a bearer secret, or null. Screens' tokens only read. */
  authenticate(bearer: string): Principal | null {
    const hash = sha256(bearer);
    if (timingSafeEqual(Buffer.from(hash, 'hex'), this.#rootHash)) return { kind: 'root' };
    const key = this.#keysByHash.get(hash);
    if (key && !key.revoked) return { kind: 'tenant', tenantId: key.tenant_id, keyId: key.id };
    const screen = this.#screensByHash.get(hash);
    if (screen && !screen.revoked) return { kind: 'screen', tenantId: screen.tenant_id, screenId: screen.id };
    return null;
  }

  /** The screen a token belongs to, revoked or not (a revoked screen is told so, not "unknown"). */
  screenByToken(token: string): ScreenRecord | undefined {
    return this.#screensByHash.get(sha256(token));
  }

  async createKey(tenantId: string, label = ''): Promise<{ id: string; key: string }> {
    const key = secret('fwk');
    const record: ApiKeyRecord = { id: newId('key'), tenant_id: tenantId, label, key_hash: sha256(key), created_at: new Date().toISOString(), revoked: false };
    await this.#writeKey(record);
    return { id: record.id, key };
  }

  keysOf(tenantId: string): ApiKeyRecord[] {
    return [...this.#keys.values()].filter((k) => k.tenant_id === tenantId);
  }

  key(id: string): ApiKeyRecord | undefined {
    return this.#keys.get(id);
  }

  /** Revoked keys stop working at once: authenticate() reads the same record. */
  async revokeKey(record: ApiKeyRecord): Promise<void> {
    await this.#writeKey({ ...record, revoked: true });
  }

  async createScreen(tenantId: string, name: string, settings: ScreenSettings = DEFAULT_SCREEN_SETTINGS): Promise<{ id: string; token: string }> {
    const token = secret('fws');
    const record: ScreenRecord = { id: newId('scr'), tenant_id: tenantId, name, token_hash: sha256(token), created_at: new Date().toISOString(), revoked: false, settings };
    await this.writeScreen(record);
    return { id: record.id, token };
  }

  screensOf(tenantId: string): ScreenRecord[] {
    return [...this.screens.values()].filter((s) => s.tenant_id === tenantId);
  }

  async writeScreen(record: ScreenRecord): Promise<void> {
    const row = { ...record, settings: JSON.stringify(record.settings), created_at: Date.parse(record.created_at), revoked: record.revoked ? 1 : 0, version: nextVersion() };
    await insertRows(this.#client, 'screens', [row]);
    this.#putScreen(record);
    this.written.tell();
  }

  async #writeKey(record: ApiKeyRecord): Promise<void> {
    await insertRows(this.#client, 'api_keys', [{ ...record, created_at: Date.parse(record.created_at), revoked: record.revoked ? 1 : 0, version: nextVersion() }]);
    this.#putKey(record);
    this.written.tell();
  }

  #putKey(record: ApiKeyRecord): void {
    this.#keys.set(record.id, record);
    this.#keysByHash.set(record.key_hash, record);
  }

  #putScreen(record: ScreenRecord): void {
    this.screens.set(record.id, record);
    this.#screensByHash.set(record.token_hash, record);
  }
}
