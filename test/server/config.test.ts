import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

const failure = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.setting;
    throw error;
  }
  return null;
};

describe('settings', () => {
  it('has the contract defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', demo: 'auto', offlineAfterMs: 15 * 60_000, clickhouse: null, rootKey: null });
    expect(config.dataDir.endsWith('/data')).toBe(true);
  });

  it('stops on a bad value, naming the setting', () => {
    expect(failure({ PORT: 'eighty' })).toBe('PORT');
    expect(failure({ PORT: '70000' })).toBe('PORT');
    expect(failure({ FLEETWALL_DEMO: 'maybe' })).toBe('FLEETWALL_DEMO');
    expect(failure({ FLEETWALL_ROOT_KEY: 'short' })).toBe('FLEETWALL_ROOT_KEY');
    expect(failure({ CLICKHOUSE_URL: 'ftp://x' })).toBe('CLICKHOUSE_URL');
    expect(failure({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_DATABASE: 'x; DROP' })).toBe('CLICKHOUSE_DATABASE');
    expect(failure({ FLEETWALL_OFFLINE_AFTER: '5' })).toBe('FLEETWALL_OFFLINE_AFTER');
    expect(failure({ CLICKHOUSE_URL: 'http://ch:8123', FLEETWALL_STORE_TIMEOUT: '0' })).toBe('FLEETWALL_STORE_TIMEOUT');
    expect(failure({ REDIS_URL: 'http://redis:6379' })).toBe('REDIS_URL');
    expect(failure({ REDIS_URL: 'redis' })).toBe('REDIS_URL');
  });

  it('switches to a ClickHouse server when CLICKHOUSE_URL is set', () => {
    expect(loadConfig({ CLICKHOUSE_URL: 'http://ch:8123/', CLICKHOUSE_USER: 'fw', CLICKHOUSE_DATABASE: 'fleet' }).clickhouse).toEqual({
      url: 'http://ch:8123',
      user: 'fw',
      password: '',
      database: 'fleet',
      timeoutMs: 20_000
    });
    expect(loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', FLEETWALL_STORE_TIMEOUT: '5' }).clickhouse?.timeoutMs).toBe(5_000);
    expect(loadConfig({ FLEETWALL_DEMO: 'off' }).demo).toBe('off');
  });

  it('spans instances through Redis only when REDIS_URL is set', () => {
    expect(loadConfig({}).redisUrl).toBeNull();
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379/0' }).redisUrl).toBe('redis://cache:6379/0');
  });
});
