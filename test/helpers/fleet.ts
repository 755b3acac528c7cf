// A small fleet for tests: one distributor, two customers on opposite sides of the world.
import type { FastifyInstance } from 'fastify';
import type { TelemetryRecord } from '../../server/model.ts';

export const fleet = {
  tenants: [
    { id: 'dist', name: 'Sunrise Distribution', parent_id: null, kind: 'distributor', timezone: 'Europe/Berlin' },
    { id: 'inst', name: 'Kiwi Installers', parent_id: 'dist', kind: 'installer' },
    { id: 'cust-nz', name: 'Auckland Farm', parent_id: 'inst', kind: 'customer', timezone: 'Pacific/Auckland' },
    { id: 'cust-us', name: 'Honolulu Roofs', parent_id: 'dist', kind: 'customer', timezone: 'Pacific/Honolulu' }
  ],
  plants: [
    { id: 'p-akl', tenant_id: 'cust-nz', name: 'Auckland PV', lat: -36.85, lon: 174.76, timezone: 'Pacific/Auckland', capacity_kw: 100 },
    { id: 'p-hnl', tenant_id: 'cust-us', name: 'Honolulu PV', lat: 21.31, lon: -157.86, timezone: 'Pacific/Honolulu', capacity_kw: 50 }
  ],
  devices: [
    { sn: 'AKL-1', plant_id: 'p-akl', kind: 'inverter', rated_power_w: 50000 },
    { sn: 'AKL-2', plant_id: 'p-akl', kind: 'inverter', rated_power_w: 50000 },
    { sn: 'AKL-3', plant_id: 'p-akl', kind: 'storage', rated_power_w: 10000 },
    { sn: 'AKL-4', plant_id: 'p-akl', kind: 'charger', rated_power_w: 22000 },
    { sn: 'HNL-1', plant_id: 'p-hnl', kind: 'inverter', rated_power_w: 50000 }
  ]
};

export async function registerFleet(app: FastifyInstance, authorization: string): Promise<void> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/registry', headers: { authorization }, payload: fleet });
  if (response.statusCode !== 200) throw new Error(`registry: ${response.statusCode} ${response.body}`);
}

export function record(sn: string, ts: string, e_today_kwh: number, extra: Partial<TelemetryRecord> = {}): TelemetryRecord {
  return { sn, ts, status: 'normal', power_w: 1000, e_today_kwh, ...extra };
}

export async function post(app: FastifyInstance, authorization: string, payload: unknown) {
  return app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: { authorization }, payload: payload as object });
}
