import { describe, expect, it } from 'vitest';
import { CITIES } from '../../../server/demo/cities.ts';
import { buildDemoFleet, DEMO_DISTRIBUTOR_ID } from '../../../server/demo/fleet.ts';
import { zoneOffsetMs } from '../../../server/time/zones.ts';

const fleet = buildDemoFleet();

describe('demo fleet', () => {
  it('is the same fleet for the same seed, and another for another seed', () => {
    expect(buildDemoFleet(1)).toEqual(fleet);
    expect(JSON.stringify(buildDemoFleet(2))).not.toEqual(JSON.stringify(fleet));
    expect(buildDemoFleet(2).tenants[0]!.id).toBe(DEMO_DISTRIBUTOR_ID);
  });

  it('has unique ids and realistic, unique serial numbers', () => {
    const ids = [...fleet.tenants.map((t) => t.id), ...fleet.plants.map((p) => p.id)];
    expect(new Set(ids).size).toBe(ids.length);
    const sns = fleet.devices.map((d) => d.sn);
    expect(new Set(sns).size).toBe(sns.length);
    for (const d of fleet.devices) {
      expect(d.sn).toMatch(/^H[XSC]\d{10}$/);
      expect(d.datalogger_sn).toMatch(/^DL\d{8}$/);
      expect(d.model).toBeTruthy();
      expect(d.rated_power_w).toBeGreaterThan(0);
    }
    expect(new Set(fleet.plants.map((p) => p.name)).size).toBe(fleet.plants.length);
  });

  it('forms one well-formed tenant tree under the distributor', () => {
    const byId = new Map(fleet.tenants.map((t) => [t.id, t]));
    const root = byId.get(DEMO_DISTRIBUTOR_ID)!;
    expect(root).toMatchObject({ name: 'Helios Distribution', kind: 'distributor', parent_id: null, timezone: 'Europe/Berlin' });
    const installers = fleet.tenants.filter((t) => t.kind === 'installer');
    const customers = fleet.tenants.filter((t) => t.kind === 'customer');
    expect(installers).toHaveLength(5);
    expect(customers.length).toBeGreaterThanOrEqual(35);
    expect(customers.length).toBeLessThanOrEqual(45);
    for (const i of installers) expect(i.parent_id).toBe(DEMO_DISTRIBUTOR_ID);
    for (const c of customers) {
      expect(byId.get(c.parent_id!)?.kind).toBe('installer');
      expect(c.contact?.email).toMatch(/^[a-z.]+@[a-z.-]+$/);
      expect(c.contact?.phone).toMatch(/^\+\d+ 555 \d{3} \d{4}$/);
    }
    expect(fleet.tenants.filter((t) => t.kind === 'distributor')).toHaveLength(1);
    for (const p of fleet.plants) expect(byId.get(p.tenant_id)?.kind).toBe('customer');
    const owners = new Set(fleet.plants.map((p) => p.tenant_id));
    expect(owners.size).toBe(customers.length); // every customer owns a plant
  });

  it('sizes plants and devices plausibly', () => {
    expect(fleet.plants.length).toBeGreaterThanOrEqual(140);
    expect(fleet.plants.length).toBeLessThanOrEqual(160);
    const plantIds = new Set(fleet.plants.map((p) => p.id));
    for (const d of fleet.devices) expect(plantIds.has(d.plant_id)).toBe(true);
    for (const p of fleet.plants) {
      expect(p.capacity_kw).toBeGreaterThanOrEqual(5);
      expect(p.capacity_kw).toBeLessThanOrEqual(2000);
      expect(p.built_on! >= '2015-01-01' && p.built_on! <= '2024-12-31').toBe(true);
      const devices = fleet.devices.filter((d) => d.plant_id === p.id);
      const inverters = devices.filter((d) => d.kind === 'inverter');
      expect(inverters.length).toBeGreaterThanOrEqual(1);
      expect(inverters.length).toBeLessThanOrEqual(8);
      const pvKw = devices.filter((d) => d.kind !== 'charger').reduce((sum, d) => sum + d.rated_power_w / 1000, 0);
      expect(pvKw).toBeGreaterThan(p.capacity_kw * 0.5);
      expect(pvKw).toBeLessThan(p.capacity_kw * 1.8 + 5);
    }
    const share = (kind: string) => new Set(fleet.devices.filter((d) => d.kind === kind).map((d) => d.plant_id)).size / fleet.plants.length;
    expect(share('storage')).toBeGreaterThan(0.2);
    expect(share('storage')).toBeLessThan(0.4);
    expect(share('charger')).toBeGreaterThan(0.08);
    expect(share('charger')).toBeLessThan(0.25);
    // Homes, commercial roofs and a few utility-scale parks.
    expect(fleet.plants.filter((p) => p.capacity_kw < 20).length).toBeGreaterThan(15);
    expect(fleet.plants.filter((p) => p.capacity_kw >= 1000).length).toBeGreaterThan(3);
  });

  it('places plants near real cities with valid time zones on five or more continents', () => {
    const cities = new Map(CITIES.map((c) => [c.name, c]));
    const continents = new Set<string>();
    for (const p of fleet.plants) {
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: p.timezone })).not.toThrow();
      const city = cities.get(p.city!)!;
      expect(city).toBeDefined();
      expect(p.timezone).toBe(city.timezone);
      expect(p.country).toBe(city.country);
      expect(Math.abs(p.lat - city.lat)).toBeLessThan(0.5);
      continents.add(city.continent);
    }
    expect(continents.size).toBeGreaterThanOrEqual(5);
    for (const c of CITIES) expect(() => new Intl.DateTimeFormat('en-US', { timeZone: c.timezone })).not.toThrow();
  });

  it('spans time zones at least ten hours apart', () => {
    const at = Date.parse('2026-11-21T08:05:00Z');
    const offsets = fleet.plants.map((p) => zoneOffsetMs(at, p.timezone) / 3_600_000);
    expect(Math.max(...offsets) - Math.min(...offsets)).toBeGreaterThanOrEqual(10);
    expect(new Set(fleet.plants.map((p) => p.timezone)).size).toBeGreaterThanOrEqual(15);
  });
});
