// Process settings (DESIGN.md, "External contract, v1"), validated once at boot.
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  rootKey: string | null;
  demo: 'on' | 'off' | 'auto';
  offlineAfterMs: number;
  publicUrl: string | null;
  mapStyle: string | null;
  clickhouse: { url: string; user: string; password: string; database: string; timeoutMs: number } | null;
  /** Several instances share Socket.IO and live state through this Redis; null: one instance. */
  redisUrl: string | null;
  logLevel: string;
  /** Behind a TLS-terminating proxy: believe X-Forwarded-Proto/For (cookies then get Secure). */
  trustProxy: boolean;
  limits: Limits;
}

/** What one client may send. Each is named after its setting in the answers that enforce it. */
export interface Limits {
  /** Bytes of one telemetry batch (the body of POST /api/v1/telemetry). */
  bodyBytes: number;
  /** Records in one telemetry batch. */
  batchRecords: number;
  /** API requests a minute per API key or screen token. */
  perKey: number;
  /** API requests a minute per client address, for requests without a valid key. */
  perAddress: number;
}

/**
 * Sized for 1M devices reporting every 5 minutes through dataloggers: a datalogger sends one
 * batch of its few devices per report; a vendor cloud relays its whole fleet in batches of a few
 * thousand. 10,000 records of a full record each are about 4 MB; 6,000 requests a minute is a
 * key shared by 30,000 dataloggers; an address without a key is a browser or an attacker.
 */
export const DEFAULT_LIMITS: Limits = { bodyBytes: 16 * 1024 * 1024, batchRecords: 10_000, perKey: 6_000, perAddress: 1_200 };

/**
 * Seconds a request to a ClickHouse server may go without a byte before it fails (and ingest
 * answers 503): under the 30 s a datalogger's HTTP client commonly waits, so that it hears
 * "retry later" rather than timing out itself, and 4x the slowest query of a start at a million
 * devices (bench/RESULTS.md).
 */
export const STORE_TIMEOUT_S = 20;

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string
  ) {
    super(`${setting}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
    return raw.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
}

function redisUrl(env: Env): string | null {
  const raw = env.REDIS_URL;
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL', `must be a redis:// or rediss:// URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new ConfigError('REDIS_URL', `must be a redis:// or rediss:// URL, got "${raw}"`);
  return raw;
}

export function loadConfig(env: Env = process.env): Config {
  const demoRaw = (env.FLEETWALL_DEMO ?? '').toLowerCase();
  if (!['', 'on', 'off'].includes(demoRaw)) {
    throw new ConfigError('FLEETWALL_DEMO', `must be "on" or "off", got "${env.FLEETWALL_DEMO}"`);
  }
  const rootKey = env.FLEETWALL_ROOT_KEY || null;
  if (rootKey !== null && rootKey.length < 16) {
    throw new ConfigError('FLEETWALL_ROOT_KEY', 'must be at least 16 characters');
  }
  const chUrl = url(env, 'CLICKHOUSE_URL');
  const database = env.CLICKHOUSE_DATABASE || 'default';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) {
    throw new ConfigError('CLICKHOUSE_DATABASE', `must be a plain identifier, got "${database}"`);
  }
  const trustProxyRaw = (env.FLEETWALL_TRUST_PROXY ?? '').toLowerCase();
  if (!['', 'on', 'off'].includes(trustProxyRaw)) throw new ConfigError('FLEETWALL_TRUST_PROXY', `must be "on" or "off", got "${env.FLEETWALL_TRUST_PROXY}"`);
  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(env.FLEETWALL_DATA || './data'),
    rootKey,
    demo: demoRaw === '' ? 'auto' : (demoRaw as 'on' | 'off'),
    offlineAfterMs: integer(env, 'FLEETWALL_OFFLINE_AFTER', 900, 60, 86_400) * 1000,
    publicUrl: url(env, 'FLEETWALL_PUBLIC_URL'),
    mapStyle: url(env, 'FLEETWALL_MAP_STYLE'),
    clickhouse: chUrl
      ? {
          url: chUrl,
          user: env.CLICKHOUSE_USER || 'default',
          password: env.CLICKHOUSE_PASSWORD || '',
          database,
          timeoutMs: integer(env, 'FLEETWALL_STORE_TIMEOUT', STORE_TIMEOUT_S, 1, 3_600) * 1000
        }
      : null,
    redisUrl: redisUrl(env),
    logLevel,
    trustProxy: trustProxyRaw === 'on',
    limits: {
      bodyBytes: integer(env, 'FLEETWALL_MAX_BATCH_BYTES', DEFAULT_LIMITS.bodyBytes, 64 * 1024, 1024 * 1024 * 1024),
      batchRecords: integer(env, 'FLEETWALL_MAX_BATCH_RECORDS', DEFAULT_LIMITS.batchRecords, 1, 1_000_000),
      perKey: integer(env, 'FLEETWALL_RATE_PER_KEY', DEFAULT_LIMITS.perKey, 1, 10_000_000),
      perAddress: integer(env, 'FLEETWALL_RATE_PER_ADDRESS', DEFAULT_LIMITS.perAddress, 1, 10_000_000)
    }
  };
}
