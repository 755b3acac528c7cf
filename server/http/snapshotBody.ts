// The HTTP snapshot's bytes, made once per room version and shared by every reader of that room
// (never across rooms: the cache is keyed by the room, one per tenant). The compressed copies
// are made on first demand, off the event loop, and kept with the bytes they compress.
import negotiate from '@fastify/accept-negotiator';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { PlantPoint, Snapshot } from '../contract.ts';
import type { RoomView } from '../live/rooms.ts';

export type BodyEncoding = 'br' | 'gzip' | 'identity';
// Brotli first: at its fastest setting it is both quicker and smaller than gzip on this JSON.
const ENCODINGS: BodyEncoding[] = ['br', 'gzip', 'identity'];
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
// Fastest settings: a version of a busy room lives about a second (bench/RESULTS.md).
const BROTLI_QUALITY = 1;
const GZIP_LEVEL = 1;

/** Room versions count from 0 in every process: the tag names the process too, so a restart never matches an old tag. */
const PROCESS_TAG = randomBytes(6).toString('base64url');

/**
 * A weak tag (the figures, not the bytes): a version's body carries the `as_of` of the update
 * that served it, and an update that changed no figure keeps the version.
 */
export const etagOf = (room: RoomView): string => `W/"${PROCESS_TAG}.${room.version}"`;

/** If-None-Match holds `etag` (weak comparison, as RFC 9110 asks for GET) or `*`. */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === opaque;
  });
}

export const encodingFor = (acceptEncoding: string | undefined): BodyEncoding => (acceptEncoding ? (negotiate(acceptEncoding, ENCODINGS) ?? 'identity') : 'identity');

/** Each plant point's JSON, kept while the point lives: a plant whose figures change gets a new point. */
const pointJson = new WeakMap<PlantPoint, string>();

function plantsJson(points: readonly PlantPoint[]): string {
  const parts = new Array<string>(points.length);
  for (let i = 0; i < points.length; i++) {
    const point = points[i];
    let json = pointJson.get(point);
    if (json === undefined) pointJson.set(point, (json = JSON.stringify(point)));
    parts[i] = json;
  }
  return `[${parts.join(',')}]`;
}

/** JSON.stringify(snapshot), with only the plants that changed since the last time serialized again. */
export function snapshotJson(snapshot: Snapshot): string {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(snapshot)) {
    if (value === undefined) continue;
    fields.push(`${JSON.stringify(key)}:${key === 'plants' ? plantsJson(value as PlantPoint[]) : JSON.stringify(value)}`);
  }
  return `{${fields.join(',')}}`;
}

export class SnapshotBody {
  readonly json: Buffer;
  readonly #compressed = new Map<Exclude<BodyEncoding, 'identity'>, Promise<Buffer>>();

  constructor(
    readonly version: number,
    readonly updatedAt: number,
    snapshot: Snapshot
  ) {
    this.json = Buffer.from(snapshotJson(snapshot));
  }

  bytes(encoding: BodyEncoding): Buffer | Promise<Buffer> {
    if (encoding === 'identity') return this.json;
    let compressed = this.#compressed.get(encoding);
    if (!compressed) {
      compressed =
        encoding === 'br'
          ? brotli(this.json, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: this.json.length } })
          : gzipped(this.json, { level: GZIP_LEVEL });
      this.#compressed.set(encoding, compressed);
    }
    return compressed;
  }
}

/** Bodies live as long as their room: a dropped room takes its bytes with it. */
const bodies = new WeakMap<RoomView, SnapshotBody>();

/** The room's body as it stands: made again only when the room was updated since. */
export function bodyOf(room: RoomView): SnapshotBody {
  const cached = bodies.get(room);
  if (cached && cached.version === room.version && cached.updatedAt === room.updatedAt) return cached;
  const body = new SnapshotBody(room.version, room.updatedAt, room.snapshot());
  bodies.set(room, body);
  return body;
}
