// Shared bits of the benchmarks: an app on a fresh embedded store, a synthetic fleet, stats.
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import app from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { createStore } from '../server/db/store.ts';
import { fastifyOptions } from '../server/http/options.ts';
import type { Device, Plant, Tenant } from '../server/model.ts';

export const ROOT = 'bench-root-key-0123456789';

/** The app on an embedded store: a fresh one, or `dataDir`'s; its clock pinned when `now` is given. */
export async function benchApp(
  env: Record<string, string> = {},
  now?: () => number,
  dataDir = mkdtempSync(join(tmpdir(), 'fleetwall-bench-'))
): Promise<{ app: FastifyInstance; dataDir: string }> {
  const config = loadConfig({ FLEETWALL_DATA: dataDir, FLEETWALL_DEMO: 'off', LOG_LEVEL: 'silent', ...env });
  const store = createStore(config);
  const instance = Fastify({ ...fastifyOptions(false), bodyLimit: 64 * 1024 * 1024 });
  instance.addHook('onClose', async () => store.close());
  await instance.register(app, { config, store, rootKey: ROOT, now });
  await instance.ready();
  return { app: instance, dataDir };
}

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Australia/Sydney', 'America/Sao_Paulo', 'Africa/Johannesburg'];

/** `plants` plants of `perPlant` inverters each, under one distributor with 10 customers. */
export function syntheticFleet(plants: number, perPlant: number): { tenants: Tenant[]; plants: Plant[]; devices: Device[] } {
  const tenants: Tenant[] = [{ id: 'd', name: 'Bench Distribution', parent_id: null, kind: 'distributor', timezone: 'Europe/Berlin' }];
  for (let c = 0; c < 10; c++) tenants.push({ id: `c${c}`, name: `Customer ${c}`, parent_id: 'd', kind: 'customer' });
  const plantList: Plant[] = [];
  const devices: Device[] = [];
  for (let p = 0; p < plants; p++) {
    plantList.push({
      id: `p${p}`,
      tenant_id: `c${p % 10}`,
      name: `Plant ${p}`,
      lat: -50 + ((p * 37) % 100),
      lon: -170 + ((p * 53) % 340),
      timezone: ZONES[p % ZONES.length],
      capacity_kw: 10 + (p % 50) * 10
    });
    for (let d = 0; d < perPlant; d++) devices.push({ sn: `S${p}-${d}`, plant_id: `p${p}`, kind: 'inverter', rated_power_w: 10_000 });
  }
  return { tenants, plants: plantList, devices };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const fmt = (n: number, digits = 1) => n.toLocaleString('en', { maximumFractionDigits: digits });
