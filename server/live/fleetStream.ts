// Live state across instances (REDIS_URL): every batch an instance stores goes, encoded once
// (server/ingest/batchCodec.ts), onto one Redis stream; every instance reads the stream on a
// connection of its own and applies the other instances' batches to its live state, so that its
// rooms make the deltas for its own screens. ClickHouse stays the truth: an instance that may
// have missed entries (Redis restarted, or trimmed entries it had not read) rebuilds its live
// state from the store and goes on from where the stream was before the rebuild. The same stream
// carries notices of writes to the store's caches (registry, credentials, ...), which the other
// instances then read again.
import { RESP_TYPES, type RedisClientType } from 'redis';
import type { TelemetryBatch } from '../ingest/batch.ts';
import { decodeBatch, encodeBatch } from '../ingest/batchCodec.ts';

export type RedisClient = RedisClientType;

export const STREAM_KEY = 'fleetwall:batches';
/** About a day of a 1M-device fleet reported through a vendor cloud in batches of a few thousand. */
const MAX_ENTRIES = 100_000;
const READ_COUNT = 100;
const BLOCK_MS = 5_000;
/** Batches held for Redis while it is away; past that, the others are told to rebuild instead. */
const MAX_UNSENT = 10_000;
const RETRY_MS = 1_000;
const PUBLISH_WAIT_MS = 1_000;

export interface FleetStreamDeps {
  redis: RedisClient;
  /** This instance's entries carry it, and it skips them. */
  instanceId: string;
  /** Applies another instance's batch (queued with this instance's own). */
  apply: (batch: TelemetryBatch) => Promise<void>;
  /** Rebuilds live state from the store. */
  rebuild: () => Promise<void>;
  /** Reloads caches of the store another instance wrote to, by name. */
  reload: (caches: string[]) => Promise<void>;
  log: { info(msg: string): void; warn(msg: string): void };
}

/** Stream ids ("ms-seq") in order. */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}

export class FleetStream {
  readonly #deps: FleetStreamDeps;
  #reader: { destroy(): void } | null = null;
  #closed = false;
  #loop: Promise<void> = Promise.resolve();
  #unsent = 0;
  /** Caches written since the last notice, told together at the next turn of the event loop. */
  readonly #written = new Set<string>();
  /** Batches were dropped while Redis was away: the others must rebuild. */
  #dropped = false;
  /** The Redis server's run id when last seen: another one is a restarted Redis, which may have lost entries. */
  #runId: string | null = null;

  constructor(deps: FleetStreamDeps) {
    this.#deps = deps;
  }

  /** The id of the newest entry ('0-0' when none): note it before reading live state from the store. */
  async position(): Promise<string> {
    this.#runId ??= await this.#serverRunId(this.#deps.redis);
    const newest = await this.#deps.redis.xRevRange(STREAM_KEY, '+', '-', { COUNT: 1 });
    return newest === null || newest.length === 0 ? '0-0' : newest[0].id;
  }

  /**
   * Tells the other instances about a batch this one stored and applied. Resolves once Redis has
   * the entry (so that an instance killed after acknowledging a batch has passed it on), or at
   * once while Redis is away: the client then holds the entry and sends it when Redis is back.
   * Never rejects: the batch is stored whatever becomes of its entry.
   */
  publish(batch: TelemetryBatch): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#unsent >= MAX_UNSENT) {
      this.#dropped = true;
      return Promise.resolve();
    }
    const added = this.#add({ i: this.#deps.instanceId, b: encodeBatch(batch) });
    if (!this.#deps.redis.isReady) return Promise.resolve();
    // A Redis that stalls without dropping the connection holds ingest up this long at most.
    return Promise.race([added, new Promise<void>((resolve) => setTimeout(resolve, PUBLISH_WAIT_MS).unref())]);
  }

  /** Tells the other instances that this one wrote to a cache of the store (registry, credentials, ...). */
  notice(cache: string): void {
    if (this.#closed) return;
    if (this.#written.size === 0) {
      setImmediate(() => {
        const caches = [...this.#written].join(',');
        this.#written.clear();
        void this.#add({ i: this.#deps.instanceId, reload: caches });
      });
    }
    this.#written.add(cache);
  }

  #add(fields: Record<string, string | Buffer>): Promise<void> {
    this.#unsent++;
    return this.#deps.redis
      .xAdd(STREAM_KEY, '*', fields, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: MAX_ENTRIES } })
      .then(() => {
        this.#unsent--;
        if (!this.#dropped) return;
        this.#dropped = false;
        this.#deps.log.warn('fleet stream: entries were lost while Redis was away; the other instances rebuild from the store');
        void this.#add({ i: this.#deps.instanceId, rebuild: '1' });
      })
      .catch((error: unknown) => {
        this.#unsent--;
        // Lost for the others: they rebuild on the notice sent once Redis takes entries again.
        this.#dropped = true;
        this.#deps.log.warn(`fleet stream: an entry could not be published (${error instanceof Error ? error.message : String(error)})`);
      });
  }

  /** Reads the entries after `from` and every later one, until closed. */
  async start(from: string): Promise<void> {
    const reader = this.#deps.redis.duplicate().withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    reader.on('error', () => {});
    await reader.connect();
    this.#reader = reader;
    this.#loop = this.#read(reader, from);
  }

  async #read(reader: BufferClient, from: string): Promise<void> {
    let check = false;
    let failing = false;
    while (!this.#closed) {
      try {
        if (check) {
          from = await this.#catchUp(from);
          check = false;
        }
        const reply = await reader.xRead({ key: STREAM_KEY, id: from }, { COUNT: READ_COUNT, BLOCK: BLOCK_MS });
        if (failing) this.#deps.log.info('fleet stream: reading again');
        failing = false;
        const messages = reply?.[0]?.messages ?? [];
        for (const { id, message } of messages) {
          from = id.toString();
          if (message.i?.toString() === this.#deps.instanceId) continue;
          if (message.rebuild) await this.#rebuild('another instance dropped batches while Redis was away');
          else if (message.reload) await this.#deps.reload(message.reload.toString().split(','));
          else if (message.b) await this.#deps.apply(decodeBatch(message.b));
        }
        // A full read: this instance is behind, so make sure nothing it had not read was trimmed.
        if (messages.length === READ_COUNT) check = true;
      } catch (error) {
        if (this.#closed) break;
        if (!failing) this.#deps.log.warn(`fleet stream: cannot read (${error instanceof Error ? error.message : String(error)}); retrying`);
        failing = true;
        check = true;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  /** Where to read on from: `from`, or the stream's end after a rebuild when entries after `from` may be gone. */
  async #catchUp(from: string): Promise<string> {
    const redis = this.#deps.redis;
    const runId = await this.#serverRunId(redis);
    const restarted = this.#runId !== null && runId !== this.#runId;
    this.#runId = runId;
    let trimmed = false;
    if (!restarted) {
      const info = (await redis.sendCommand(['XINFO', 'STREAM', STREAM_KEY]).catch(() => null)) as Record<string, unknown> | unknown[] | null;
      const deleted = info === null ? '0-0' : String(field(info, 'max-deleted-entry-id') ?? '0-0');
      trimmed = compareIds(deleted, from) > 0;
    }
    if (!restarted && !trimmed) return from;
    const at = await this.position();
    await this.#rebuild(restarted ? 'Redis restarted and may have lost entries' : 'entries it had not read were trimmed');
    return at;
  }

  async #rebuild(why: string): Promise<void> {
    this.#deps.log.warn(`fleet stream: ${why}; rebuilding live state from the store`);
    await this.#deps.rebuild();
  }

  async #serverRunId(redis: RedisClient): Promise<string> {
    const info = await redis.info('server');
    return /run_id:(\w+)/.exec(info)?.[1] ?? '';
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#reader?.destroy();
    await this.#loop;
  }
}

type BufferClient = ReturnType<RedisClient['withTypeMapping']>;

/** A field of an XINFO reply, as a map (RESP3) or a flat list of names and values (RESP2). */
function field(info: Record<string, unknown> | unknown[], name: string): unknown {
  if (!Array.isArray(info)) return info[name];
  const at = info.findIndex((x) => String(x) === name);
  return at < 0 ? undefined : info[at + 1];
}
