// The registry in memory: tenants as a tree, their plants and devices, with the subtree
// look-ups every scope check and every room needs. Rebuilt from ClickHouse at start.
import type { Device, Plant, Tenant } from '../model.ts';
import { DeviceTable } from './devices.ts';

export class RegistryTree {
  readonly tenants = new Map<string, Tenant>();
  readonly plants = new Map<string, Plant>();
  readonly devices = new DeviceTable();
  readonly #children = new Map<string, Set<string>>();
  readonly #plantsByTenant = new Map<string, Set<string>>();
  /** Serial numbers per plant, in arrays: a Set per plant costs several times more at a million devices. */
  readonly #devicesByPlant = new Map<string, string[]>();
  #subtreeCache = new Map<string, { tenants: Set<string>; plants: string[]; plantSet?: Set<string> }>();
  readonly #chains = new Map<string, readonly string[]>();

  putTenant(tenant: Tenant): void {
    const previous = this.tenants.get(tenant.id);
    if (previous?.parent_id) this.#children.get(previous.parent_id)?.delete(tenant.id);
    this.tenants.set(tenant.id, tenant);
    if (tenant.parent_id) link(this.#children, tenant.parent_id, tenant.id);
    this.#subtreeCache.clear();
    this.#chains.clear();
  }

  putPlant(plant: Plant): void {
    const previous = this.plants.get(plant.id);
    if (previous) this.#plantsByTenant.get(previous.tenant_id)?.delete(plant.id);
    this.plants.set(plant.id, plant);
    link(this.#plantsByTenant, plant.tenant_id, plant.id);
    this.#subtreeCache.clear();
    if (previous?.tenant_id !== plant.tenant_id) this.#chains.delete(plant.id);
  }

  putDevice(device: Device): void {
    const previous = this.devices.plantOf(device.sn);
    if (previous === device.plant_id) return void this.devices.set(device, previous);
    if (previous !== undefined) {
      const list = this.#devicesByPlant.get(previous);
      const at = list ? list.indexOf(device.sn) : -1;
      if (at >= 0) list!.splice(at, 1);
    }
    const plantId = this.plants.get(device.plant_id)?.id ?? device.plant_id;
    this.devices.set(device, plantId);
    let list = this.#devicesByPlant.get(plantId);
    if (!list) this.#devicesByPlant.set(plantId, (list = []));
    list.push(device.sn);
  }

  /** Ids of the tenant and all its descendants; empty when the tenant does not exist. */
  subtree(tenantId: string): Set<string> {
    return this.#scope(tenantId).tenants;
  }

  plantsOf(tenantId: string): string[] {
    return this.#scope(tenantId).plants;
  }

  /** The same plants as a set, built once per tree change. */
  plantSetOf(tenantId: string): ReadonlySet<string> {
    const scope = this.#scope(tenantId);
    scope.plantSet ??= new Set(scope.plants);
    return scope.plantSet;
  }

  devicesOf(plantId: string): readonly string[] {
    return this.#devicesByPlant.get(plantId) ?? EMPTY;
  }

  isWithin(ancestorId: string, tenantId: string): boolean {
    return this.subtree(ancestorId).has(tenantId);
  }

  ancestors(tenantId: string): Tenant[] {
    const chain: Tenant[] = [];
    const seen = new Set<string>();
    let current = this.tenants.get(tenantId);
    while (current && !seen.has(current.id)) {
      seen.add(current.id);
      chain.push(current);
      current = current.parent_id ? this.tenants.get(current.parent_id) : undefined;
    }
    return chain;
  }

  /** The tenants whose subtrees hold a plant: its tenant and every ancestor (empty for no plant). */
  chainOf(plantId: string): readonly string[] {
    let chain = this.#chains.get(plantId);
    if (!chain) {
      const plant = this.plants.get(plantId);
      chain = plant ? this.ancestors(plant.tenant_id).map((t) => t.id) : [];
      this.#chains.set(plantId, chain);
    }
    return chain;
  }

  /** The first time zone set on the tenant or an ancestor. */
  timezoneOf(tenantId: string): string {
    return this.ancestors(tenantId).find((t) => t.timezone)?.timezone ?? 'UTC';
  }

  #scope(tenantId: string): { tenants: Set<string>; plants: string[]; plantSet?: Set<string> } {
    let scope = this.#subtreeCache.get(tenantId);
    if (scope) return scope;
    const tenants = new Set<string>();
    if (this.tenants.has(tenantId)) {
      const stack = [tenantId];
      while (stack.length > 0) {
        const id = stack.pop()!;
        if (tenants.has(id)) continue;
        tenants.add(id);
        for (const child of this.#children.get(id) ?? []) stack.push(child);
      }
    }
    const plants: string[] = [];
    for (const id of tenants) for (const plant of this.#plantsByTenant.get(id) ?? []) plants.push(plant);
    scope = { tenants, plants };
    this.#subtreeCache.set(tenantId, scope);
    return scope;
  }
}

const EMPTY: readonly string[] = [];

function link(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}
