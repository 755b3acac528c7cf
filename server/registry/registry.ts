// Registry upserts: checked whole (references, time zones, scope, cycles), then persisted, then
// applied in memory. All or nothing: nothing is written unless every item is valid.
import type { ClickHouseClient } from '@clickhouse/client';
import { registryDevices } from '../../aggregates/queries/registryDevices.ts';
import { registryPlants } from '../../aggregates/queries/registryPlants.ts';
import { registryTenants } from '../../aggregates/queries/registryTenants.ts';
import type { Principal } from '../auth/principal.ts';
import { insertRows } from '../db/store.ts';
import { WriteListeners } from '../db/writes.ts';
import { ClientError, notFound } from '../errors.ts';
import type { Device, Plant, RegistryBatch, Tenant } from '../model.ts';
import { isTimeZone } from '../time/zones.ts';
import { RegistryTree } from './tree.ts';
import { nextVersion } from './version.ts';

export type RegistryChange = { tenants: string[]; plants: string[]; devices: string[] };

export class Registry {
  readonly tree = new RegistryTree();
  readonly #client: ClickHouseClient;
  readonly #listeners: ((change: RegistryChange) => void)[] = [];
  readonly written = new WriteListeners();
  /** Bumped by every change: caches keyed on the tree (spatial indexes) check it. */
  version = 0;

  constructor(client: ClickHouseClient) {
    this.#client = client;
  }

  async load(): Promise<void> {
    for (const row of await registryTenants(this.#client)) this.tree.putTenant(row);
    for (const row of await registryPlants(this.#client)) this.tree.putPlant(row);
    for (const row of await registryDevices(this.#client)) this.tree.putDevice(row);
  }

  /** Reads what another instance wrote (entities are upserted, never removed): everything may have changed. */
  async reload(): Promise<void> {
    await this.load();
    this.version++;
    const change = { tenants: [...this.tree.tenants.keys()], plants: [...this.tree.plants.keys()], devices: [] };
    for (const listener of this.#listeners) listener(change);
  }

  onChange(listener: (change: RegistryChange) => void): void {
    this.#listeners.push(listener);
  }

  async upsert(principal: Principal, batch: RegistryBatch): Promise<RegistryChange> {
    const tenants = batch.tenants ?? [];
    const plants = batch.plants ?? [];
    const devices = batch.devices ?? [];
    this.#check(principal, tenants, plants, devices);
    const version = nextVersion();
    if (tenants.length > 0) {
      await insertRows(
        this.#client,
        'tenants',
        tenants.map((t) => ({
          id: t.id,
          name: t.name,
          parent_id: t.parent_id,
          kind: t.kind,
          timezone: t.timezone ?? null,
          contact: JSON.stringify(t.contact ?? {}),
          version
        }))
      );
    }
    if (plants.length > 0) {
      const values = plants.map((p) => ({ ...p, country: p.country ?? null, city: p.city ?? null, built_on: p.built_on ?? null, version }));
      await insertRows(this.#client, 'plants', values);
    }
    if (devices.length > 0) {
      const values = devices.map((d) => ({ ...d, model: d.model ?? null, datalogger_sn: d.datalogger_sn ?? null, version }));
      await insertRows(this.#client, 'devices', values);
    }
    for (const t of tenants) this.tree.putTenant(clean(t));
    for (const p of plants) this.tree.putPlant(clean(p));
    for (const d of devices) this.tree.putDevice(clean(d));
    this.version++;
    const change = { tenants: tenants.map((t) => t.id), plants: plants.map((p) => p.id), devices: devices.map((d) => d.sn) };
    for (const listener of this.#listeners) listener(change);
    this.written.tell();
    return change;
  }

  /** Whether a principal may see a tenant: the root key sees all, others their subtree. */
  canSee(principal: Principal, tenantId: string): boolean {
    if (!this.tree.tenants.has(tenantId)) return false;
    if (principal.kind === 'root') return true;
    // Admins reach the registry through the admin API, which checks their roles.
    if (principal.kind === 'user') return false;
    return this.tree.isWithin(principal.tenantId, tenantId);
  }

  #check(principal: Principal, tenants: Tenant[], plants: Plant[], devices: Device[]): void {
    const tree = this.tree;
    const incomingTenants = new Map(tenants.map((t) => [t.id, t]));
    const incomingPlants = new Map(plants.map((p) => [p.id, p]));
    const visible = (id: string) => incomingTenants.has(id) || this.canSee(principal, id);
    unique(tenants.map((t) => t.id), 'tenants', 'id');
    unique(plants.map((p) => p.id), 'plants', 'id');
    unique(devices.map((d) => d.sn), 'devices', 'sn');

    tenants.forEach((t, i) => {
      const at = (field: string) => (tenants.length > 1 || incomingPlants.size + devices.length > 0 ? `tenants[${i}].${field}` : field);
      if (t.timezone !== undefined && !isTimeZone(t.timezone)) throw new ClientError(400, at('timezone'), `"${t.timezone}" is not an IANA time zone`);
      if (t.parent_id === t.id) throw new ClientError(400, at('parent_id'), 'a tenant cannot be its own parent');
      const existing = tree.tenants.get(t.id);
      if (existing && !this.canSee(principal, t.id)) throw new ClientError(409, at('id'), `tenant id "${t.id}" is not available`);
      if (principal.kind === 'tenant' || principal.kind === 'screen') {
        if (t.id === principal.tenantId) {
          if (t.parent_id !== existing?.parent_id) throw new ClientError(403, at('parent_id'), 'a tenant key cannot move its own tenant');
        } else if (t.parent_id === null) {
          throw new ClientError(403, at('parent_id'), 'only the root key creates top-level tenants');
        }
      }
      if (t.parent_id !== null && t.id !== (principal.kind === 'tenant' ? principal.tenantId : '') && !visible(t.parent_id)) {
        throw notFound(at('parent_id'), 'tenant', t.parent_id);
      }
    });
    this.#checkCycles(incomingTenants);

    plants.forEach((p, i) => {
      const at = (field: string) => (plants.length > 1 || tenants.length + devices.length > 0 ? `plants[${i}].${field}` : field);
      if (!isTimeZone(p.timezone)) throw new ClientError(400, at('timezone'), `"${p.timezone}" is not an IANA time zone`);
      if (p.built_on !== undefined && !isCalendarDate(p.built_on)) throw new ClientError(400, at('built_on'), `"${p.built_on}" is not a date`);
      const existing = tree.plants.get(p.id);
      if (existing && !this.canSee(principal, existing.tenant_id)) throw new ClientError(409, at('id'), `plant id "${p.id}" is not available`);
      if (!visible(p.tenant_id)) throw notFound(at('tenant_id'), 'tenant', p.tenant_id);
    });

    devices.forEach((d, i) => {
      const at = (field: string) => (devices.length > 1 || tenants.length + plants.length > 0 ? `devices[${i}].${field}` : field);
      const existing = tree.devices.get(d.sn);
      const existingPlant = existing ? tree.plants.get(existing.plant_id) : undefined;
      if (existingPlant && !this.canSee(principal, existingPlant.tenant_id)) throw new ClientError(409, at('sn'), `device "${d.sn}" is not available`);
      const plant = incomingPlants.get(d.plant_id) ?? tree.plants.get(d.plant_id);
      if (!plant || !(incomingPlants.has(d.plant_id) || this.canSee(principal, plant.tenant_id))) {
        throw notFound(at('plant_id'), 'plant', d.plant_id);
      }
    });
  }

  #checkCycles(incoming: Map<string, Tenant>): void {
    const parentOf = (id: string) => (incoming.has(id) ? incoming.get(id)!.parent_id : (this.tree.tenants.get(id)?.parent_id ?? null));
    for (const id of incoming.keys()) {
      const seen = new Set<string>([id]);
      let parent = parentOf(id);
      while (parent !== null) {
        if (seen.has(parent)) throw new ClientError(400, 'parent_id', `tenant "${id}" would become its own ancestor`);
        seen.add(parent);
        parent = parentOf(parent);
      }
    }
  }
}

function unique(ids: string[], list: string, field: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) throw new ClientError(400, `${list}[${i}].${field}`, `"${id}" appears twice`);
    seen.add(id);
  });
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Drops unset optional fields so memory matches what a reload from the store gives. */
function clean<T extends object>(entity: T): T {
  return Object.fromEntries(Object.entries(entity).filter(([k, v]) => v !== undefined && (v !== null || k === 'parent_id'))) as T;
}
