// A stand-in ClickHouse server for tests, run as a process of its own by clickhouseStandIn.ts: the
// ClickHouse HTTP interface (the part @clickhouse/client speaks) over the real ClickHouse engine of
// the chdb package, on its own data directory. No ClickHouse server can be installed where the
// tests run; this lets the app's server mode (CLICKHOUSE_URL) run against a store that can be
// killed, stopped and started again like one.
//
// Environment: STANDIN_DATA (data directory), STANDIN_PORT, STANDIN_USER, STANDIN_PASSWORD.
// Prints "listening on <port>" once it accepts connections.
import { Session } from 'chdb';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { buffer } from 'node:stream/consumers';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';

interface NativeResult {
  bytes: Buffer;
  elapsed: number;
  rowsRead: number;
  bytesRead: number;
}
interface NativeEngine {
  QueryAsyncConnection(connection: unknown, sql: string, format: string, params?: Record<string, string>): Promise<NativeResult>;
}

// Query parameters come over HTTP as text the engine parses by their declared type (param_<name>).
// chdb's public binder takes JS values and escapes strings itself, which would escape this text a
// second time; its native call takes the text as a server does, so the stand-in uses that.
const native = createRequire(createRequire(import.meta.url).resolve('chdb'))('./dist/loader.js').loadNative() as NativeEngine;

const dataDir = process.env.STANDIN_DATA!;
const port = Number(process.env.STANDIN_PORT ?? 0);
const user = process.env.STANDIN_USER ?? 'default';
const password = process.env.STANDIN_PASSWORD ?? '';
const session = new Session(dataDir);
const connection = (session as unknown as { connection: unknown }).connection;

/** URL parameters the HTTP layer itself reads; every other one is a setting of the query. */
const HTTP_PARAMETERS = new Set(['query', 'database', 'default_format', 'query_id', 'session_id', 'session_timeout', 'session_check', 'user', 'password', 'quota_key', 'role', 'compress', 'decompress', 'buffer_size', 'wait_end_of_query', 'enable_http_compression', 'send_progress_in_http_headers', 'cancel_http_readonly_queries_on_client_close']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly type: string,
    message: string
  ) {
    super(message);
  }
}

// One query at a time on the one engine session, as it keeps the settings a query sets: each
// query gets exactly its own settings (those a previous query set go back to their defaults), as
// on a server, where every HTTP query has a context of its own.
let queue: Promise<unknown> = Promise.resolve();
let sessionSettings = new Set<string>();
/** The engine's settings: any other name is refused, as a server does, before it reaches the session. */
const knownSettings = new Set((await native.QueryAsyncConnection(connection, 'SELECT name FROM system.settings', 'TabSeparated')).bytes.toString('utf8').split('\n'));

function run(sql: string, format: string, settings: Map<string, string>, database: string, params: Record<string, string>): Promise<NativeResult> {
  const job = queue.then(() => {
    // The session statements take names, which cannot be parameters: the database and every
    // setting name passed IDENTIFIER (and the settings the engine's own list) in handle() below,
    // and each setting's value is quoted and escaped as a string literal.
    const statements = [`USE ${database}`];
    for (const name of sessionSettings) if (!settings.has(name)) statements.push(`SET ${name} = DEFAULT`);
    for (const [name, value] of settings) statements.push(`SET ${name} = '${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
    sessionSettings = new Set(settings.keys());
    statements.push(sql);
    return native.QueryAsyncConnection(connection, statements.join(';\n'), format, Object.keys(params).length > 0 ? params : undefined);
  });
  queue = job.catch(() => {});
  return job;
}

function authenticate(request: IncomingMessage, url: URL): void {
  let name = url.searchParams.get('user') ?? (request.headers['x-clickhouse-user'] as string | undefined);
  let key = url.searchParams.get('password') ?? (request.headers['x-clickhouse-key'] as string | undefined);
  const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    name = decoded.slice(0, colon);
    key = decoded.slice(colon + 1);
  }
  name ??= 'default';
  key ??= '';
  if (name !== user || key !== password) {
    throw new HttpFailure(401, 516, 'AUTHENTICATION_FAILED', `${name}: Authentication failed: password is incorrect, or there is no user with such name.`);
  }
}

function requestBody(request: IncomingMessage): Readable {
  const encoding = request.headers['content-encoding'];
  if (encoding === undefined || encoding === 'identity') return request;
  const decompressor =
    encoding === 'gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : encoding === 'br' ? zlib.createBrotliDecompress() : null;
  if (!decompressor) throw new HttpFailure(400, 48, 'NOT_IMPLEMENTED', `Unknown Content-Encoding of HTTP request: ${encoding}`);
  const out = new PassThrough();
  pipeline(request, decompressor, out).catch((error: unknown) => out.destroy(error as Error));
  return out;
}

async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://stand-in');
  const queryId = url.searchParams.get('query_id') || randomUUID();
  response.setHeader('X-ClickHouse-Query-Id', queryId);
  response.setHeader('X-ClickHouse-Timezone', 'UTC');
  response.setHeader('X-ClickHouse-Server-Display-Name', 'fleetwall-clickhouse-stand-in');
  if (url.pathname === '/ping' || (url.pathname === '/' && request.method === 'GET' && !url.searchParams.has('query'))) {
    response.setHeader('Content-Type', 'text/plain; charset=UTF-8');
    response.end('Ok.\n');
    return;
  }
  if (url.pathname !== '/') throw new HttpFailure(404, 0, 'NOT_FOUND', `There is no handle ${url.pathname}`);
  authenticate(request, url);
  if (url.searchParams.get('decompress') === '1') throw new HttpFailure(400, 48, 'NOT_IMPLEMENTED', 'ClickHouse-compressed (decompress=1) requests are not served by the stand-in');
  // As a server does: the query parameter, then a newline, then the body (an INSERT's data).
  const inParameter = url.searchParams.get('query') ?? '';
  const bytes = request.method === 'POST' ? await buffer(requestBody(request)) : Buffer.alloc(0);
  // Binary data (FORMAT Native) cannot travel inside SQL text: the engine reads it from a file.
  const binary = /^\s*(INSERT\s+INTO\s+[A-Za-z_][A-Za-z0-9_]*\s*(\([^)]*\))?)\s*FORMAT\s+(Native|RowBinary\w*)\s*$/i.exec(inParameter);
  const blockFile = binary && bytes.length > 0 ? join(dataDir, `insert-${randomUUID()}.${binary[3]}`) : null;
  const body = blockFile ? '' : bytes.toString('utf8');
  // The INSERT's head and the format name are what the pattern above allows; the path is a parameter.
  const sql = blockFile
    ? `${binary![1]} SELECT * FROM file({standin_block_file:String}, '${binary![3]}')`
    : inParameter === '' ? body : body === '' ? inParameter : `${inParameter}\n${body}`;
  if (sql.trim() === '') throw new HttpFailure(400, 62, 'SYNTAX_ERROR', 'Empty query.');
  if (request.method === 'GET' && !/^\s*(SELECT|WITH|SHOW|DESCRIBE|DESC|EXISTS)\b/i.test(sql)) {
    throw new HttpFailure(400, 164, 'READONLY', 'Cannot execute query in readonly mode. For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries.');
  }
  const settings = new Map<string, string>();
  const params: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (name.startsWith('param_')) params[name.slice('param_'.length)] = value;
    else if (!HTTP_PARAMETERS.has(name) && !name.startsWith('http_')) {
      if (!IDENTIFIER.test(name) || !knownSettings.has(name)) throw new HttpFailure(400, 115, 'UNKNOWN_SETTING', `Unknown setting '${name}'.`);
      settings.set(name, value);
    }
  }
  if (blockFile) params.standin_block_file = blockFile;
  const database = url.searchParams.get('database') || 'default';
  if (!IDENTIFIER.test(database)) throw new HttpFailure(400, 81, 'UNKNOWN_DATABASE', `Database ${database} does not exist.`);
  const format = /\bFORMAT\s+([A-Za-z]+)\s*$/i.exec(inParameter === '' ? sql : inParameter)?.[1] ?? url.searchParams.get('default_format') ?? 'TabSeparated';
  const isInsert = /^\s*INSERT\b/i.test(sql);
  if (blockFile) await writeFile(blockFile, bytes);
  const result = await run(sql, isInsert ? 'TabSeparated' : format, settings, database, params).finally(() => blockFile && unlink(blockFile));
  // A client that gave up (its request timed out) gets nothing; the query has run all the same,
  // as on a server.
  if (response.destroyed) return;
  // The engine reports rows and bytes read, not written: an insert's summary counts none.
  response.setHeader(
    'X-ClickHouse-Summary',
    JSON.stringify({
      read_rows: String(isInsert ? 0 : result.rowsRead),
      read_bytes: String(isInsert ? 0 : result.bytesRead),
      written_rows: '0',
      written_bytes: '0',
      total_rows_to_read: '0',
      result_rows: String(isInsert ? 0 : result.rowsRead),
      result_bytes: String(isInsert ? 0 : result.bytesRead),
      elapsed_ns: String(Math.round(result.elapsed * 1e9))
    })
  );
  if (!isInsert) response.setHeader('X-ClickHouse-Format', format);
  response.setHeader('Content-Type', isInsert ? 'text/plain; charset=UTF-8' : contentType(format));
  const accepts = String(request.headers['accept-encoding'] ?? '');
  const codec = settings.get('enable_http_compression') === '1' || url.searchParams.get('enable_http_compression') === '1' ? (['gzip', 'deflate', 'br'].find((c) => accepts.includes(c)) ?? null) : null;
  if (codec === null) {
    response.end(result.bytes);
    return;
  }
  response.setHeader('Content-Encoding', codec);
  response.end(codec === 'gzip' ? zlib.gzipSync(result.bytes) : codec === 'deflate' ? zlib.deflateSync(result.bytes) : zlib.brotliCompressSync(result.bytes));
}

function contentType(format: string): string {
  if (/^JSON/i.test(format)) return 'application/json; charset=UTF-8';
  if (/^(TabSeparated|TSV|CSV)/i.test(format)) return 'text/tab-separated-values; charset=UTF-8';
  return 'application/octet-stream';
}

function fail(response: ServerResponse, error: unknown): void {
  if (response.destroyed) return;
  const failure =
    error instanceof HttpFailure
      ? { status: error.status, code: error.code, text: `Code: ${error.code}. DB::Exception: ${error.message} (${error.type})` }
      : engineFailure(error);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.removeHeader('Content-Encoding');
  response.statusCode = failure.status;
  response.setHeader('X-ClickHouse-Exception-Code', String(failure.code));
  response.setHeader('Content-Type', 'text/plain; charset=UTF-8');
  response.end(`${failure.text}\n`);
}

/** The engine's own message already reads "Code: N. DB::Exception: … (TYPE)", as a server's does. */
function engineFailure(error: unknown): { status: number; code: number; text: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code = Number(/^Code: (\d+)\./.exec(message)?.[1] ?? 1001);
  return { status: 500, code, text: /^Code: \d+\./.test(message) ? message : `Code: 1001. DB::Exception: ${message} (STD_EXCEPTION)` };
}

// A ClickHouse server takes URIs of up to 1 MiB (http_max_uri_size): query parameters such as a
// fleet's device serials go in the URL. Node's own limit on the request line and headers is 16 KiB.
const server = createServer({ maxHeaderSize: 1024 * 1024 + 64 * 1024 }, (request, response) => {
  answer(request, response).catch((error: unknown) => fail(response, error));
});
// As a ClickHouse server: idle connections are kept for 10 s, and the client is told so.
server.keepAliveTimeout = 10_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on ${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void queue.finally(() => {
    session.close();
    process.exit(0);
  });
});
