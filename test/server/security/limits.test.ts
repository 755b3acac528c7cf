// Limits a client meets: batch bytes and records answer 413, too many requests 429 with
// Retry-After; each answer names the limit, and what was refused is not stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_LIMITS, loadConfig } from '../../../server/config.ts';
import { rows } from '../../../server/db/store.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { post, record, registerFleet } from '../../helpers/fleet.ts';

const BATCH_BYTES = 64 * 1024;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ FLEETWALL_MAX_BATCH_BYTES: String(BATCH_BYTES), FLEETWALL_MAX_BATCH_RECORDS: '100', FLEETWALL_RATE_PER_KEY: '40', FLEETWALL_RATE_PER_ADDRESS: '20' });
  await registerFleet(t.app, t.root.authorization);
});
afterAll(() => t.close());

const stored = async () => (await rows<{ n: number }>(t.store, 'SELECT count() AS n FROM telemetry'))[0].n;
const ts = () => new Date(Date.now() - 60_000).toISOString();

describe('limits', () => {
  it('answers 413 naming the setting for a body one byte over the limit, and stores nothing', async () => {
    const key = await t.app.inject({ method: 'POST', url: '/api/v1/keys', headers: t.root, payload: { tenant_id: 'dist' } });
    const authorization = `Bearer ${(key.json() as { key: string }).key}`;
    const base = JSON.stringify({ records: [record('AKL-1', ts(), 1, { fault_code: '' })] });
    const payload = base.replace('"fault_code":""', `"fault_code":"${'x'.repeat(BATCH_BYTES + 1 - base.length)}"`);
    expect(Buffer.byteLength(payload)).toBe(BATCH_BYTES + 1);
    const over = await t.app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: { authorization, 'content-type': 'application/json' }, payload });
    expect(over.statusCode).toBe(413);
    expect(over.json()).toMatchObject({ field: 'body', limit: { name: 'FLEETWALL_MAX_BATCH_BYTES', max: BATCH_BYTES } });
    expect(over.json().message).toContain(String(BATCH_BYTES));
    // One byte less is a batch like any other (its fault code is too long, and says so).
    const at = await t.app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: { authorization, 'content-type': 'application/json' }, payload: payload.replace('"x', '"') });
    expect(at.statusCode).toBe(200);
    expect(at.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0, field: 'fault_code' }] });
    expect(await stored()).toBe(0);
  });

  it('answers 413 for a batch with more records than allowed, and stores none of them', async () => {
    const records = Array.from({ length: 101 }, (_, i) => record('AKL-1', ts(), i));
    const answer = await post(t.app, t.root.authorization, { records });
    expect(answer.statusCode).toBe(413);
    expect(answer.json()).toMatchObject({ field: 'records', limit: { name: 'FLEETWALL_MAX_BATCH_RECORDS', max: 100 } });
    expect(answer.json().message).toMatch(/at most 100 records, this one 101/);
    expect(await stored()).toBe(0);
    expect((await post(t.app, t.root.authorization, { records: records.slice(0, 100) })).json()).toMatchObject({ accepted: 100 });
  });

  it('answers 429 with Retry-After once a key has made its requests of the minute; other keys go on', async () => {
    const make = async () => `Bearer ${((await t.app.inject({ method: 'POST', url: '/api/v1/keys', headers: t.root, payload: { tenant_id: 'cust-nz' } })).json() as { key: string }).key}`;
    const busy = await make();
    const calm = await make();
    const codes: number[] = [];
    for (let i = 0; i < 45; i++) codes.push((await post(t.app, busy, { records: [] })).statusCode);
    expect(codes.slice(0, 40).every((c) => c === 200)).toBe(true);
    expect(codes.slice(40).every((c) => c === 429)).toBe(true);
    const refused = await post(t.app, busy, { records: [record('AKL-1', ts(), 500)] });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.json()).toMatchObject({ statusCode: 429, limit: { name: 'FLEETWALL_RATE_PER_KEY', max: 40, window_s: 60 } });
    expect(refused.json().message).toMatch(/more than 40 a minute from this API key/);
    expect((await post(t.app, calm, { records: [] })).statusCode).toBe(200);
    const max = await rows<{ kwh: number }>(t.store, "SELECT max(e_today_kwh) AS kwh FROM telemetry WHERE sn = 'AKL-1'");
    expect(max[0].kwh).toBe(99);
  });

  it('counts requests without a valid key per address, so guessing keys is slow', async () => {
    const from = (ip: string, i: number) =>
      t.app.inject({ method: 'POST', url: '/api/v1/telemetry', remoteAddress: ip, headers: { authorization: `Bearer guess-${i}` }, payload: { records: [] } });
    const codes: number[] = [];
    for (let i = 0; i < 22; i++) codes.push((await from('203.0.113.7', i)).statusCode);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    const refused = await from('203.0.113.7', 99);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json()).toMatchObject({ limit: { name: 'FLEETWALL_RATE_PER_ADDRESS', max: 20 } });
    expect((await from('198.51.100.9', 0)).statusCode).toBe(401);
  });
});

describe('limit settings', () => {
  it('defaults to limits a datalogger fleet of 1M devices never meets', () => {
    expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
    // 1M devices every 5 minutes is 3,333 records/s: 10,000-record batches take 20 requests a minute.
    expect(DEFAULT_LIMITS.batchRecords * (DEFAULT_LIMITS.perKey / 60)).toBeGreaterThan(3_333 * 100);
  });

  it('stops the start on a bad value, naming the setting', () => {
    for (const name of ['FLEETWALL_MAX_BATCH_BYTES', 'FLEETWALL_MAX_BATCH_RECORDS', 'FLEETWALL_RATE_PER_KEY', 'FLEETWALL_RATE_PER_ADDRESS']) {
      for (const bad of ['-1', '0', 'lots', '1e6', '99999999999']) {
        expect(() => loadConfig({ [name]: bad }), `${name}=${bad}`).toThrow(ConfigError);
        try {
          loadConfig({ [name]: bad });
        } catch (error) {
          expect((error as ConfigError).setting).toBe(name);
        }
      }
    }
    expect(loadConfig({ FLEETWALL_RATE_PER_KEY: '100' }).limits.perKey).toBe(100);
  });
});
