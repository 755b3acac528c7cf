import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';

export interface DeviceLifetimeEnergyRow {
  sn: string;
  /** Sum over the device's local dates of its largest e_today_kwh. */
  energy_kwh: number;
  /** The largest lifetime counter it reported (counters only grow), or null. */
  e_total_kwh: number | null;
}

/** Each device's lifetime energy, both ways: from day energies and from its own counter. Size: devices. */
export function deviceLifetimeEnergy(client: ClickHouseClient): Promise<DeviceLifetimeEnergyRow[]> {
  return rows<DeviceLifetimeEnergyRow>(
    client,
    `SELECT sn, sum(energy_kwh) AS energy_kwh, max(e_total_max) AS e_total_kwh
     FROM device_lifetime
     GROUP BY sn`
  );
}
