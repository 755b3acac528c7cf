// Whatever a client sends, the answer is a 4xx that says what is wrong, never a 500, and
// nothing of an invalid record is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../../server/db/store.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { registerFleet } from '../../helpers/fleet.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await registerFleet(t.app, t.root.authorization);
});
afterAll(() => t.close());

const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) });
const bodies: [string, string][] = [
  ['application/json', ''],
  ['application/json', 'null'],
  ['application/json', '"records"'],
  ['application/json', '42'],
  ['application/json', '{"records": {"0": {}}}'],
  ['application/json', '{"records": [1, "x", null, [], {"sn": {"$gt": ""}}]}'],
  ['application/json', '{"records": [{"sn": "AKL-1", "ts": 1e308, "status": "normal", "power_w": 1, "e_today_kwh": 1}]}'],
  ['application/json', '{"records": [{"sn": "AKL-1", "ts": -1e308, "status": "normal", "power_w": 1e400, "e_today_kwh": 1}]}'],
  ['application/json', '{"__proto__": {"polluted": true}, "records": [{"__proto__": {"sn": "AKL-1"}, "constructor": {"prototype": {"x": 1}}}]}'],
  ['application/json', JSON.stringify({ records: [deep(500)] })],
  ['application/json', JSON.stringify({ records: [{ sn: 'AKL-1', ts: '2026-13-45T99:99:99Z', status: 'normal', power_w: 1, e_today_kwh: 1 }] })],
  ['application/json', JSON.stringify({ batch_id: 'x'.repeat(10_000), records: [] })],
  ['application/json', '{"records": [\u0000]}'],
  ['application/json', '\xff\xfe{"records": []}'],
  ['text/plain', 'records=1'],
  ['application/x-www-form-urlencoded', 'records=1'],
  ['application/json; charset=utf-16', '{"records": []}']
];

describe('garbage in', () => {
  it('never answers 5xx and stores nothing invalid', async () => {
    const before = await rows<{ n: number }>(t.store, 'SELECT count() AS n FROM telemetry');
    for (const [type, payload] of bodies) {
      for (const url of ['/api/v1/telemetry', '/api/v1/registry', '/api/v1/screens', '/api/v1/keys']) {
        const answer = await t.app.inject({ method: 'POST', url, headers: { ...t.root, 'content-type': type }, payload });
        expect(answer.statusCode, `${url} ${type} ${payload.slice(0, 60)}`).toBeLessThan(500);
        if (answer.statusCode >= 400) expect((answer.json() as { message: string }).message.length).toBeGreaterThan(0);
        else expect(url).toBe('/api/v1/telemetry');
      }
      for (const url of ['/api/v1/tenants/t1', '/api/v1/plants/p1', '/api/v1/devices/d1']) {
        const answer = await t.app.inject({ method: 'PUT', url, headers: { ...t.root, 'content-type': type }, payload });
        expect(answer.statusCode, `${url} ${payload.slice(0, 60)}`).toBeGreaterThanOrEqual(400);
        expect(answer.statusCode).toBeLessThan(500);
      }
    }
    const after = await rows<{ n: number }>(t.store, 'SELECT count() AS n FROM telemetry');
    expect(after[0].n).toBe(before[0].n);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers odd paths and methods with a 4xx too', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/telemetry'],
      ['DELETE', '/api/v1/tenants/x'],
      ['GET', '/api/v1/screens/%00/snapshot'],
      ['GET', `/api/v1/screens/${'a'.repeat(5000)}/snapshot`],
      ['PUT', '/api/v1/tenants/..%2F..%2Fetc'],
      ['GET', '/api/nothing-here']
    ] as const) {
      const answer = await t.app.inject({ method, url, headers: t.root });
      expect(answer.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode, `${method} ${url}`).toBeLessThan(500);
    }
  });
});
