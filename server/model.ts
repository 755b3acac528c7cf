// Registry and telemetry shapes as clients send them (DESIGN.md, external contract v1).
import type { ReportedStatus } from './contract.ts';

export type TenantKind = 'distributor' | 'installer' | 'customer';
export type DeviceKind = 'inverter' | 'storage' | 'charger';

export interface Tenant {
  id: string;
  name: string;
  parent_id: string | null;
  kind: TenantKind;
  timezone?: string;
  contact?: { name?: string; email?: string; phone?: string };
}

export interface Plant {
  id: string;
  tenant_id: string;
  name: string;
  lat: number;
  lon: number;
  timezone: string;
  capacity_kw: number;
  country?: string;
  city?: string;
  built_on?: string;
}

export interface Device {
  sn: string;
  plant_id: string;
  kind: DeviceKind;
  rated_power_w: number;
  model?: string;
  datalogger_sn?: string;
}

export interface TelemetryRecord {
  sn: string;
  /** ISO 8601 with offset, or epoch seconds. */
  ts: string | number;
  status: ReportedStatus;
  power_w: number;
  e_today_kwh: number;
  e_total_kwh?: number;
  pv?: { v: number; i: number; p?: number }[];
  battery?: { soc: number; power_w: number };
  grid_power_w?: number;
  load_power_w?: number;
  temperature_c?: number;
  fault_code?: string;
}

export interface TelemetryBatch {
  batch_id?: string;
  records: TelemetryRecord[];
}

export interface Rejection {
  index: number;
  field: string;
  reason: string;
}

export interface IngestResult {
  accepted: number;
  duplicate: boolean;
  rejected: Rejection[];
}

export interface RegistryBatch {
  tenants?: Tenant[];
  plants?: Plant[];
  devices?: Device[];
}
