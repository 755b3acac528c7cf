// The HTTP snapshot's bytes, made once per room version and shared by every reader of that room
// (never across rooms: the cache is keyed by the room, one per tenant). The compressed copies
// are made on first demand, off the event loop, and kept with the bytes they compress.
import negotiate from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
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

/** A piece of JSON and its length in UTF-8. */
interface Piece {
  json: string;
  bytes: number;
}
const pieceOf = (json: string): Piece => ({ json, bytes: Buffer.byteLength(json) });

/** Each plant point's JSON, kept while the point lives: a plant whose figures change gets a new point. */
const pointPieces = new WeakMap<PlantPoint, Piece>();

/**
 * JSON.stringify(snapshot) as UTF-8, with only the plants that changed since the last time
 * serialized again, written straight into one buffer (no joined string to encode again).
 */
export function snapshotBytes(snapshot: Snapshot): Buffer {
  const pieces: Piece[] = [];
  let plantsAt = -1;
  let plants: readonly PlantPoint[] = [];
  for (const [key, value] of Object.entries(snapshot)) {
    if (value === undefined) continue;
    const field = `${pieces.length === 0 ? '{' : ','}${JSON.stringify(key)}:`;
    if (key !== 'plants') {
      pieces.push(pieceOf(field + JSON.stringify(value)));
      continue;
    }
    pieces.push(pieceOf(`${field}[`));
    plantsAt = pieces.length;
    plants = value as PlantPoint[];
    for (const point of plants) {
      let piece = pointPieces.get(point);
      if (piece === undefined) pointPieces.set(point, (piece = pieceOf(JSON.stringify(point))));
      pieces.push(piece);
    }
    pieces.push(pieceOf(']'));
  }
  pieces.push(pieceOf('}'));
  // The commas between plants are the only bytes not in a piece.
  let length = Math.max(plants.length - 1, 0);
  for (const piece of pieces) length += piece.bytes;
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (let i = 0; i < pieces.length; i++) {
    if (i > plantsAt && i < plantsAt + plants.length) out[at++] = 0x2c; // ','
    at += out.write(pieces[i].json, at, 'utf8');
  }
  return out;
}

export class SnapshotBody {
  readonly json: Buffer;
  readonly #compressed = new Map<Exclude<BodyEncoding, 'identity'>, Promise<Buffer>>();

  constructor(
    readonly version: number,
    readonly updatedAt: number,
    snapshot: Snapshot
  ) {
    this.json = snapshotBytes(snapshot);
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

/**
 * Answers a GET with the room's snapshot: its cached bytes in the encoding the client accepts, a
 * weak ETag for the room's version, 304 when the client holds that version.
 */
export async function replyWithRoom(request: FastifyRequest, reply: FastifyReply, room: RoomView): Promise<FastifyReply> {
  const etag = etagOf(room);
  reply.header('etag', etag).header('cache-control', 'private, no-cache').header('vary', 'accept-encoding');
  if (notModified(request.headers['if-none-match'], etag)) return reply.code(304).send();
  const encoding = encodingFor(request.headers['accept-encoding']);
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  return reply.type('application/json; charset=utf-8').send(await bodyOf(room).bytes(encoding));
}
