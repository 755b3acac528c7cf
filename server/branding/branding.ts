// Branding per tenant, inherited down the tree: each setting comes from the nearest tenant
// (itself, then its ancestors) that sets it. Logos are stored under the hash of their
// re-encoded bytes.
import type { ClickHouseClient } from '@clickhouse/client';
import { allBranding } from '../../aggregates/queries/allBranding.ts';
import { logoByHash } from '../../aggregates/queries/logoByHash.ts';
import type { BrandingSettings, Language, ThemeName } from '../contract.ts';
import { insertRows } from '../db/store.ts';
import { WriteListeners } from '../db/writes.ts';
import type { Tenant } from '../model.ts';
import type { RegistryTree } from '../registry/tree.ts';
import { nextVersion } from '../registry/version.ts';

export const DEFAULT_CO2_KG_PER_KWH = 0.475;
/** A tree takes up about 18.3 kg of CO2 a year; a kWh of grid power burns about 0.4 kg of standard coal. */
export const DEFAULT_TREE_CO2_KG = 18.3;
export const DEFAULT_COAL_KG_PER_KWH = 0.4;

/** What a tenant sets itself; null inherits. */
export interface OwnBranding {
  title: string | null;
  logo_hash: string | null;
  accent_color: string | null;
  theme: ThemeName | null;
  co2_factor: number | null;
  tree_co2_kg: number | null;
  coal_kg_per_kwh: number | null;
  language: Language | null;
}

/** As the admin API shows it: logo as a URL, time zone from the tenant record. */
export type BrandingView = BrandingSettings;

export interface EffectiveBranding {
  title: string;
  logo_url: string | null;
  accent_color: string | null;
  theme: ThemeName;
  co2_factor: number;
  tree_co2_kg: number;
  coal_kg_per_kwh: number;
  timezone: string;
  language: Language;
}

const EMPTY: OwnBranding = { title: null, logo_hash: null, accent_color: null, theme: null, co2_factor: null, tree_co2_kg: null, coal_kg_per_kwh: null, language: null };
export const logoUrl = (hash: string) => `/api/v1/logos/${hash}.png`;

export class Branding {
  readonly #client: ClickHouseClient;
  readonly #own = new Map<string, OwnBranding>();
  readonly #logos = new Map<string, { contentType: string; data: Buffer }>();
  readonly #listeners: ((tenantId: string) => void)[] = [];
  readonly written = new WriteListeners();

  constructor(client: ClickHouseClient) {
    this.#client = client;
  }

  async load(): Promise<void> {
    for (const row of await allBranding(this.#client)) {
      const { tenant_id, ...own } = row;
      this.#own.set(tenant_id, { ...EMPTY, ...own });
    }
  }

  /** Reads what another instance wrote, and tells open screens (branding is set per tenant, never removed). */
  async reload(): Promise<void> {
    const before = new Map([...this.#own].map(([tenantId, own]) => [tenantId, JSON.stringify(own)]));
    await this.load();
    for (const [tenantId, own] of this.#own) if (before.get(tenantId) !== JSON.stringify(own)) this.changed(tenantId);
  }

  onChange(listener: (tenantId: string) => void): void {
    this.#listeners.push(listener);
  }

  own(tenantId: string): OwnBranding {
    return this.#own.get(tenantId) ?? EMPTY;
  }

  view(tenantId: string, tree: RegistryTree): BrandingView {
    const { logo_hash, ...own } = this.own(tenantId);
    return { ...own, logo_url: logo_hash ? logoUrl(logo_hash) : null, timezone: tree.tenants.get(tenantId)?.timezone ?? null };
  }

  /** Every setting resolved down the tree, and which tenant each inherited one comes from. */
  resolve(tenantId: string, tree: RegistryTree): { effective: EffectiveBranding; inherited_from: Partial<Record<keyof BrandingView, string>> } {
    const { values, from } = this.#resolveChain(tree.ancestors(tenantId), tree, tree.tenants.get(tenantId)?.name ?? tenantId);
    const inherited_from = Object.fromEntries(Object.entries(from).filter(([, id]) => id !== tenantId));
    return { effective: values, inherited_from };
  }

  /** What the tenant would get for each setting it did not set itself, and from which tenant. */
  inheritance(tenantId: string, tree: RegistryTree): { values: EffectiveBranding; from: Partial<Record<keyof BrandingView, string>> } {
    return this.#resolveChain(tree.ancestors(tenantId).slice(1), tree, tree.tenants.get(tenantId)?.name ?? tenantId);
  }

  #resolveChain(chain: Tenant[], tree: RegistryTree, ownName: string): { values: EffectiveBranding; from: Partial<Record<keyof BrandingView, string>> } {
    const from: Partial<Record<keyof BrandingView, string>> = {};
    const pick = <K extends keyof BrandingView>(key: K): BrandingView[K] | null => {
      for (const tenant of chain) {
        const value = this.view(tenant.id, tree)[key];
        if (value !== null && value !== undefined) {
          from[key] = tenant.id;
          return value;
        }
      }
      return null;
    };
    const values: EffectiveBranding = {
      title: pick('title') ?? ownName,
      logo_url: pick('logo_url'),
      accent_color: pick('accent_color'),
      theme: pick('theme') ?? 'control-room',
      co2_factor: pick('co2_factor') ?? DEFAULT_CO2_KG_PER_KWH,
      tree_co2_kg: pick('tree_co2_kg') ?? DEFAULT_TREE_CO2_KG,
      coal_kg_per_kwh: pick('coal_kg_per_kwh') ?? DEFAULT_COAL_KG_PER_KWH,
      timezone: pick('timezone') ?? 'UTC',
      language: pick('language') ?? 'en'
    };
    return { values, from };
  }

  async put(tenantId: string, own: OwnBranding): Promise<void> {
    await insertRows(this.#client, 'branding', [{ tenant_id: tenantId, ...own, version: nextVersion() }]);
    this.#own.set(tenantId, own);
    this.changed(tenantId);
    this.written.tell();
  }

  /** Tells listeners (open screens) that a tenant's branding, or what it inherits, changed. */
  changed(tenantId: string): void {
    for (const listener of this.#listeners) listener(tenantId);
  }

  async saveLogo(hash: string, contentType: string, data: Buffer): Promise<void> {
    if (!this.#logos.has(hash)) {
      await insertRows(this.#client, 'logos', [{ hash, content_type: contentType, data_base64: data.toString('base64'), created_at: Date.now() }]);
      this.#logos.set(hash, { contentType, data });
    }
  }

  async logo(hash: string): Promise<{ contentType: string; data: Buffer } | null> {
    const cached = this.#logos.get(hash);
    if (cached) return cached;
    const row = await logoByHash(this.#client, hash);
    if (!row) return null;
    const logo = { contentType: row.content_type, data: Buffer.from(row.data_base64, 'base64') };
    this.#logos.set(hash, logo);
    return logo;
  }
}
