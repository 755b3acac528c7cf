// The one ClickHouse client of the process: the embedded engine (chdb) by default, a server over
// HTTP when CLICKHOUSE_URL is set. Same SQL on both.
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { mkdirSync, rmSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Config } from '../config.ts';
import type { NativeBlock } from './native.ts';

// Pinned once: numbers come back as JSON numbers (our counts and sums stay far below 2^53).
const outputSettings = {
  output_format_json_quote_64bit_integers: 0,
  date_time_output_format: 'iso'
} as const;

export function createStore(config: Pick<Config, 'dataDir' | 'clickhouse'>): ClickHouseClient {
  if (config.clickhouse) {
    return createClient({
      url: config.clickhouse.url,
      username: config.clickhouse.user,
      password: config.clickhouse.password,
      database: config.clickhouse.database,
      // A stopped or stalled server fails a request after this long without a byte, instead of
      // holding ingest and the screens' requests for as long as it stays away.
      request_timeout: config.clickhouse.timeoutMs,
      // Every failure reaches the app as an error, which it answers and logs (server/app.ts); the
      // client's own log would print each again, with a stack trace, past LOG_LEVEL.
      log: { level: ClickHouseLogLevel.OFF },
      clickhouse_settings: outputSettings
    });
  }
  const path = join(config.dataDir, 'clickhouse');
  mkdirSync(path, { recursive: true });
  // chdb types its connection against @clickhouse/client-common, which @clickhouse/client 1.23
  // bundles a copy of; the shapes are the same, only the declarations differ.
  const connection = createChdbConnection({ path }) as unknown as NonNullable<Parameters<typeof createClient>[0]>['connection'];
  const client = createClient({ connection, clickhouse_settings: outputSettings });
  // Binary inserts reach the embedded engine through a file: its connection turns an insert's
  // body into text (breaking Native's binary columns), and its raw insert cuts binary data short.
  const blocks = join(config.dataDir, 'insert-blocks');
  // Blocks a killed process left behind were never acknowledged: their batches come again.
  rmSync(blocks, { recursive: true, force: true });
  mkdirSync(blocks, { recursive: true });
  (client as EmbeddedClient)[BLOCK_DIR] = blocks;
  return client;
}

/** Where an embedded store's Native blocks wait for their insert (a property, so wrappers pass it on). */
const BLOCK_DIR = Symbol('blockDir');
type EmbeddedClient = ClickHouseClient & { [BLOCK_DIR]?: string };

export async function rows<T>(
  client: ClickHouseClient,
  query: string,
  query_params: Record<string, unknown> = {}
): Promise<T[]> {
  const result = await client.query({ query, query_params, format: 'JSONEachRow' });
  return result.json<T>();
}

/**
 * Every insert goes through here. The embedded engine keeps a query's settings on its session,
 * so a deduplication token left by one insert would silently drop the next one: each insert
 * sets its deduplication settings explicitly. Without a token of its own an insert gets a
 * unique one, so that two identical blocks are both stored.
 */
export async function insertRows(
  client: ClickHouseClient,
  table: string,
  values: readonly object[],
  token: string = randomUUID()
): Promise<void> {
  await client.insert({ table, values: values as object[], format: 'JSONEachRow', clickhouse_settings: insertSettings(token) });
}

/** As insertRows, rows as arrays in the order of `columns`: about half the bytes to write and parse. */
export async function insertColumns(
  client: ClickHouseClient,
  table: string,
  columns: readonly string[],
  values: readonly unknown[][],
  token: string = randomUUID()
): Promise<void> {
  await client.insert({
    table,
    values: values as unknown[][],
    columns: columns as [string, ...string[]],
    format: 'JSONCompactEachRow',
    clickhouse_settings: insertSettings(token)
  });
}

/**
 * Columns in ClickHouse's Native format (the hot path of ingest): binary, so no number is
 * written as text and parsed again. A server gets the block as the body of an ordinary HTTP
 * insert; the embedded engine reads it from a file (see createStore).
 */
export async function insertNative(client: ClickHouseClient, table: string, block: NativeBlock, token: string = randomUUID()): Promise<void> {
  // Identifiers cannot be query parameters: they are checked against a plain-identifier pattern
  // instead, so that nothing but a table or column name can reach the SQL text.
  const bad = [table, ...block.names].find((name) => !IDENTIFIER.test(name));
  if (bad !== undefined) throw new Error(`not a table or column name: ${JSON.stringify(bad)}`);
  const into = `INSERT INTO ${table} (${block.names.join(', ')})`;
  const bytes = block.toBuffer();
  const dir = (client as EmbeddedClient)[BLOCK_DIR];
  if (dir === undefined) return execInsert(client, { query: `${into} FORMAT Native`, values: Readable.from([bytes]), clickhouse_settings: insertSettings(token) });
  // One block of the same rows is one block of the insert: the deduplication token holds. Each
  // file is read once: the engine would otherwise remember every file's columns and row count in
  // its schema inference cache, keyed by a path that never comes again (4,096 entries at most).
  const path = join(dir, `${randomUUID()}.native`);
  await writeFile(path, bytes);
  try {
    await execInsert(client, {
      query: `${into} SELECT * FROM file({path:String}, 'Native')`,
      query_params: { path },
      clickhouse_settings: { ...insertSettings(token), schema_inference_use_cache_for_file: 0, use_cache_for_count_from_files: 0 }
    });
  } finally {
    await unlink(path);
  }
}

/** An insert through exec: it answers nothing, but the answer must be read for the connection to be reused. */
async function execInsert(client: ClickHouseClient, params: Parameters<ClickHouseClient['exec']>[0]): Promise<void> {
  const { stream } = await client.exec(params);
  stream.resume();
  await finished(stream);
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function insertSettings(token: string) {
  // The embedded engine's adapter writes settings into the SQL text (SET k = '…') and escapes
  // quotes but not backslashes: a token built from a client's batch_id could end the string and
  // run SQL of its own. The token only needs to be the same for the same batch, so the engine
  // gets a hash of it: hex digits, whatever the client sent.
  const safe = createHash('sha256').update(token).digest('hex');
  return { insert_deduplicate: 1, insert_deduplication_token: safe, deduplicate_blocks_in_dependent_materialized_views: 1 } as const;
}
