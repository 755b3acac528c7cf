import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from '../../server/db/store.ts';
import type { Device } from '../../server/model.ts';
import { withoutNulls } from './withoutNulls.ts';

/** Every device, as last written. */
export async function registryDevices(client: ClickHouseClient): Promise<Device[]> {
  const found = await rows<Device>(client, 'SELECT sn, plant_id, kind, rated_power_w, model, datalogger_sn FROM devices FINAL');
  return found.map(withoutNulls);
}
