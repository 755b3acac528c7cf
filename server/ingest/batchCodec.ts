// A stored batch as bytes, for the other instances (server/live/fleetStream.ts): the batch's
// columns as they are, numbers as raw typed arrays and strings as one JSON list per column, so a
// batch of ten thousand records is a few dozen blocks, not ten thousand objects. Device numbers
// and power deltas are not sent: they belong to each instance's own live state.
import type { ReportedStatus } from '../contract.ts';
import { TelemetryBatch } from './batch.ts';

const VERSION = 1;
const FLOATS = ['ts', 'power', 'eToday', 'eTotal', 'eDelta', 'batterySoc', 'batteryPower', 'gridPower', 'loadPower', 'temperature'] as const;
const INTS = ['index', 'day', 'pvEnd'] as const;
const PVS = ['pvV', 'pvI', 'pvP'] as const;

interface Header {
  v: number;
  n: number;
  pv: number;
  sn: string[];
  plantId: string[];
  localDate: string[];
  status: ReportedStatus[];
  faultCode: (string | null)[];
}

/** [header length: u32][header JSON][padding to 8][float64 columns][pv float64 columns][int32 columns] */
export function encodeBatch(b: TelemetryBatch): Buffer {
  const n = b.length;
  const header: Header = {
    v: VERSION,
    n,
    pv: b.pvCount,
    sn: b.sn.slice(0, n),
    plantId: b.plantId.slice(0, n),
    localDate: b.localDate.slice(0, n),
    status: b.status.slice(0, n),
    faultCode: b.faultCode.slice(0, n)
  };
  const json = Buffer.from(JSON.stringify(header));
  const start = align8(4 + json.length);
  const out = Buffer.alloc(start + 8 * (FLOATS.length * n + PVS.length * b.pvCount) + 4 * INTS.length * n);
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  let at = start;
  for (const key of FLOATS) at = put(out, at, new Uint8Array(b[key].buffer, b[key].byteOffset, 8 * n));
  for (const key of PVS) at = put(out, at, new Uint8Array(b[key].buffer, b[key].byteOffset, 8 * b.pvCount));
  for (const key of INTS) at = put(out, at, new Uint8Array(b[key].buffer, b[key].byteOffset, 4 * n));
  return out;
}

/** The batch `encodeBatch` made, its devices not yet numbered (-1) and its power deltas 0. */
export function decodeBatch(bytes: Buffer): TelemetryBatch {
  const length = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.toString('utf8', 4, 4 + length)) as Header;
  if (header.v !== VERSION) throw new Error(`batch encoding ${header.v} is not ${VERSION}`);
  const { n, pv } = header;
  const b = new TelemetryBatch(n);
  b.length = n;
  b.pvCount = pv;
  // Copied out: the columns must be aligned and must not keep the message alive.
  const copy = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = align8(4 + length);
  const floats = (count: number) => {
    const column = new Float64Array(Math.max(1, count));
    new Uint8Array(column.buffer).set(copy.subarray(at, at + 8 * count));
    at += 8 * count;
    return column;
  };
  for (const key of FLOATS) b[key] = floats(n);
  for (const key of PVS) b[key] = floats(pv);
  for (const key of INTS) {
    const column = new Int32Array(Math.max(1, n));
    new Uint8Array(column.buffer).set(copy.subarray(at, at + 4 * n));
    at += 4 * n;
    b[key] = column;
  }
  b.sn = header.sn;
  b.plantId = header.plantId;
  b.localDate = header.localDate;
  b.status = header.status;
  b.faultCode = header.faultCode;
  b.device.fill(-1);
  return b;
}

const align8 = (x: number) => (x + 7) & ~7;

function put(out: Buffer, at: number, bytes: Uint8Array): number {
  out.set(bytes, at);
  return at + bytes.length;
}
