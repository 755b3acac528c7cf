// Rows of the wall's list modes and its plant view, built from live state for a tenant subtree.
import type { CustomerRow, DeviceRow, DeviceStatus, PlantDetail, PlantRow } from '../contract.ts';
import type { Registry } from '../registry/registry.ts';
import { localDate, startOfLocalDate } from '../time/zones.ts';
import type { LiveState } from './state.ts';
import { plantSummaries } from './view.ts';
import { round } from './round.ts';


/** "Jane Doe" -> "J*** D***"; "jane@x.example" -> "j***@x.example"; "+49 170 1234567" -> "+49 *** **67". */
export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `${[...word][0]}***`)
    .join(' ');
}
export function maskEmail(email: string): string {
  const [user, domain] = email.split('@');
  return domain ? `${[...user][0] ?? ''}***@${domain}` : '***';
}
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 4 ? '***' : `${phone.trim().startsWith('+') ? `+${digits.slice(0, 2)} ` : ''}*** **${digits.slice(-2)}`;
}

export class Rows {
  constructor(
    readonly registry: Registry,
    readonly live: LiveState
  ) {}

  deviceRow(sn: string, now: number): DeviceRow | null {
    const tree = this.registry.tree;
    const device = tree.devices.get(sn);
    const plant = device && tree.plants.get(device.plant_id);
    if (!device || !plant) return null;
    const d = this.live.device(sn);
    const status: DeviceStatus = this.live.deviceStatus(sn, now);
    const date = localDate(now, plant.timezone);
    return {
      sn,
      plant_id: plant.id,
      plant_name: plant.name,
      status,
      datalogger_sn: device.datalogger_sn ?? null,
      kind: device.kind,
      model: device.model ?? null,
      power_w: status === 'offline' || !d ? 0 : d.power_w,
      rated_power_w: device.rated_power_w,
      today_kwh: round(this.live.dayEnergy(sn, date)),
      month_kwh: round(this.live.monthEnergy(sn, date.slice(0, 7))),
      total_kwh: round(d ? (d.e_total ?? d.energy_sum) : 0),
      last_update: d && d.ts > 0 ? new Date(d.ts).toISOString() : null
    };
  }

  plantRow(plantId: string, now: number, maskPersonal: boolean): PlantRow | null {
    const tree = this.registry.tree;
    const plant = tree.plants.get(plantId);
    if (!plant) return null;
    const summary = plantSummaries(this.registry, this.live).get(plantId, now);
    const owner = tree.tenants.get(plant.tenant_id);
    const ownerName = owner?.contact?.name ?? owner?.name ?? '';
    return {
      id: plant.id,
      name: plant.name,
      owner: maskPersonal && owner?.kind === 'customer' ? maskName(ownerName) : ownerName,
      city: plant.city ?? null,
      country: plant.country ?? null,
      built_on: plant.built_on ?? null,
      devices: summary.devices,
      status: summary.point.status,
      power_w: summary.point.power_w,
      capacity_kw: plant.capacity_kw,
      today_kwh: summary.point.today_kwh,
      total_kwh: round(summary.total)
    };
  }

  plants(tenantId: string, now: number, maskPersonal: boolean): PlantRow[] {
    return this.registry.tree.plantsOf(tenantId).map((id) => this.plantRow(id, now, maskPersonal)!);
  }

  devices(tenantId: string, now: number): DeviceRow[] {
    const tree = this.registry.tree;
    return tree.plantsOf(tenantId).flatMap((plantId) => [...tree.devicesOf(plantId)].map((sn) => this.deviceRow(sn, now)!));
  }

  customers(tenantId: string, now: number, maskPersonal: boolean): CustomerRow[] {
    const tree = this.registry.tree;
    const rows: CustomerRow[] = [];
    for (const id of tree.subtree(tenantId)) {
      const tenant = tree.tenants.get(id)!;
      if (tenant.kind !== 'customer') continue;
      const own = tree.plantsOf(id).filter((p) => tree.plants.get(p)?.tenant_id === id);
      const name = tenant.contact?.name ?? tenant.name;
      rows.push({
        id,
        name: maskPersonal ? maskName(name) : name,
        email: tenant.contact?.email ? (maskPersonal ? maskEmail(tenant.contact.email) : tenant.contact.email) : null,
        phone: tenant.contact?.phone ? (maskPersonal ? maskPhone(tenant.contact.phone) : tenant.contact.phone) : null,
        plants: own.length,
        devices: own.reduce((n, p) => n + tree.devicesOf(p).length, 0),
        today_kwh: round(own.reduce((sum, p) => sum + this.live.plantDayEnergy(p, localDate(now, tree.plants.get(p)!.timezone)), 0))
      });
    }
    return rows;
  }

  plantDetail(plantId: string, now: number, maskPersonal: boolean): PlantDetail | null {
    const tree = this.registry.tree;
    const plant = tree.plants.get(plantId);
    const row = this.plantRow(plantId, now, maskPersonal);
    if (!plant || !row) return null;
    const devices = [...tree.devicesOf(plantId)].map((sn) => this.deviceRow(sn, now)!);
    let pv = 0;
    let battery: number | null = null;
    let soc: number | null = null;
    let grid: number | null = null;
    let load: number | null = null;
    let charging: number | null = null;
    for (const row of devices) {
      const d = this.live.device(row.sn);
      if (!d || row.status === 'offline') continue;
      if (row.kind === 'charger') {
        charging = (charging ?? 0) + d.power_w;
        continue;
      }
      pv += d.power_w;
      if (d.battery_power_w !== null) battery = (battery ?? 0) + d.battery_power_w;
      if (d.battery_soc !== null) soc = d.battery_soc;
      if (d.grid_power_w !== null) grid = (grid ?? 0) + d.grid_power_w;
      if (d.load_power_w !== null) load = (load ?? 0) + d.load_power_w;
    }
    const rings = this.live.plants;
    const ringRow = rings.indexOf(plantId);
    const dayStart = startOfLocalDate(localDate(now, plant.timezone), plant.timezone);
    const today: PlantDetail['today'] = [];
    for (let t = Math.floor(dayStart / 300_000) * 300_000; t <= now; t += 300_000) {
      today.push({ t: new Date(t).toISOString(), power_w: round(rings.bucket.get(ringRow, t / 300_000), 1) });
    }
    return {
      plant: { ...row, lat: plant.lat, lon: plant.lon, timezone: plant.timezone },
      devices,
      flow: battery !== null || grid !== null || load !== null ? { pv_w: round(pv, 1), battery_w: battery, battery_soc: soc, grid_w: grid, load_w: load } : null,
      // A charger's solar share: what the plant's PV covers after the home load.
      charging: charging === null ? null : { power_w: round(charging, 1), solar_w: round(Math.max(0, Math.min(charging, pv - (load ?? 0))), 1) },
      today
    };
  }
}
