// Ingest under fuzzing, against the real server and embedded store: valid batches mutated at one
// field with wrong types, non-finite and huge numbers, deep nesting, __proto__ keys, extreme
// timestamps; raw bodies with NaN, invalid UTF-8 and sizes around the limit. Always a 4xx or a
// 200 whose rejections name the mutated field, never a 5xx, never an invalid record stored.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUSES } from '../../../server/contract.ts';
import { rows } from '../../../server/db/store.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { fleet, registerFleet } from '../../helpers/fleet.ts';

let t: TestApp;
const BATCH_BYTES = 256 * 1024;
beforeAll(async () => {
  t = await startTestApp({ FLEETWALL_MAX_BATCH_BYTES: String(BATCH_BYTES), FLEETWALL_RATE_PER_KEY: '1000000' });
  await registerFleet(t.app, t.root.authorization);
});
afterAll(() => t.close());

const SNS = fleet.devices.map((d) => d.sn);
const now = Date.now();
let accepted = 0;

const validRecord = fc.record({
  sn: fc.constantFrom(...SNS),
  ts: fc.integer({ min: now - 30 * 86_400_000, max: now }).map((ms) => new Date(ms).toISOString()),
  status: fc.constantFrom(...STATUSES),
  power_w: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  e_today_kwh: fc.double({ min: 0, max: 1e4, noNaN: true }),
  e_total_kwh: fc.double({ min: 0, max: 1e8, noNaN: true }),
  pv: fc.array(fc.record({ v: fc.double({ min: 0, max: 1000, noNaN: true }), i: fc.double({ min: 0, max: 30, noNaN: true }) }), { maxLength: 4 }),
  battery: fc.record({ soc: fc.double({ min: 0, max: 100, noNaN: true }), power_w: fc.double({ min: -1e5, max: 1e5, noNaN: true }) }),
  temperature_c: fc.double({ min: -40, max: 90, noNaN: true }),
  fault_code: fc.string({ maxLength: 16 })
});

const deep = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};
const hostile = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER, -0, 253402300800, -62135596800, 1e21, '1e400', 'NaN', 'Infinity', '', ' ', '\u0000'),
  fc.constantFrom('9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '2026-02-30T10:00:00Z', '2026-11-21T10:00:00+99:99', '1970-01-01T00:00:00Z', '+275760-09-13T00:00:00Z'),
  fc.string({ minLength: 200, maxLength: 400 }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')),
  fc.integer({ min: 50, max: 2000 }).map(deep),
  fc.array(fc.constant({ v: 1, i: 1 }), { minLength: 65, maxLength: 100 })
);

/** Field paths of a valid record a mutation may hit. */
const PATHS = ['sn', 'ts', 'status', 'power_w', 'e_today_kwh', 'e_total_kwh', 'pv', 'pv[0]', 'pv[0].v', 'pv[0].i', 'battery', 'battery.soc', 'battery.power_w', 'temperature_c', 'fault_code', 'grid_power_w'];

function mutate(record: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(record) as Record<string, unknown>;
  if (path.startsWith('pv[0]')) {
    const pv = copy.pv as Record<string, unknown>[];
    if (pv.length === 0) pv.push({ v: 1, i: 1 });
    if (path === 'pv[0]') pv[0] = value as Record<string, unknown>;
    else pv[0][path.slice(6)] = value;
  } else if (path.startsWith('battery.')) (copy.battery as Record<string, unknown>)[path.slice(8)] = value;
  else copy[path] = value;
  return copy;
}

const under = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
/** The rejection names the mutated field, a part of it, or what holds it. */
const within = (field: string, path: string) => under(path, field) || under(field, path);

describe('ingest fuzzing', () => {
  it('names the mutated field of a mutated record and stores the valid ones beside it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(validRecord, { minLength: 1, maxLength: 5 }), fc.constantFrom(...PATHS), hostile, fc.boolean(), async (valid, path, value, withId) => {
        const bad = mutate(valid[0], path, value);
        const body = { ...(withId ? { batch_id: `fuzz-${Math.random()}` } : {}), records: [...valid.slice(1), bad] };
        const answer = await t.app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: { ...t.root, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        expect(answer.statusCode, answer.body).toBeLessThan(500);
        if (answer.statusCode !== 200) {
          expect(answer.statusCode).toBeGreaterThanOrEqual(400);
          expect(answer.json().message.length).toBeGreaterThan(0);
          return;
        }
        const result = answer.json() as { accepted: number; rejected: { index: number; field: string; reason: string }[] };
        accepted += result.accepted;
        for (const r of result.rejected) {
          expect(r.index, answer.body).toBe(valid.length - 1);
          expect(within(r.field, path), `${path} -> ${r.field}`).toBe(true);
          expect(r.reason.length).toBeGreaterThan(0);
        }
        expect(result.accepted).toBe(valid.length - result.rejected.length);
      }),
      { numRuns: 120 }
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);

  it('answers raw bodies that are not JSON, not UTF-8 or too big with a 4xx that says why', async () => {
    const record = `{"sn":"AKL-1","ts":"${new Date(now - 60_000).toISOString()}","status":"normal","power_w":1,"e_today_kwh":1`;
    const cases: [string, Buffer, number, RegExp][] = [
      ['NaN', Buffer.from(`{"records":[${record.replace('"power_w":1', '"power_w":NaN')}}]}`), 400, /not valid JSON/],
      ['Infinity', Buffer.from(`{"records":[${record.replace('"power_w":1', '"power_w":Infinity')}}]}`), 400, /not valid JSON/],
      ['__proto__', Buffer.from(`{"records":[${record},"__proto__":{"x":1}}]}`), 400, /__proto__/],
      ['invalid UTF-8', Buffer.concat([Buffer.from(`{"records":[${record},"fault_code":"`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}]}')]), 400, /UTF-8/],
      ['deep array', Buffer.from(`{"batch_id":"deep","records":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`), 400, /records\[0\]|nested/],
      ['just over the limit', Buffer.from(`{"records":[],"x":"${'y'.repeat(BATCH_BYTES)}"}`).subarray(0, BATCH_BYTES + 1), 413, /FLEETWALL_MAX_BATCH_BYTES/]
    ];
    for (const [name, payload, status, message] of cases) {
      const answer = await t.app.inject({ method: 'POST', url: '/api/v1/telemetry', headers: { ...t.root, 'content-type': 'application/json' }, payload });
      expect(answer.statusCode, `${name}: ${answer.body}`).toBeLessThan(500);
      if (answer.statusCode !== 200) {
        expect(answer.statusCode, name).toBe(status);
        expect(answer.json().message, name).toMatch(message);
      } else {
        expect(answer.json().accepted, name).toBe(0);
      }
    }
  });

  it('holds only valid records afterwards, as many as were accepted', async () => {
    const stored = await rows<{ n: number; bad: number }>(
      t.store,
      `SELECT count() AS n, countIf(
         sn NOT IN {sns:Array(String)} OR status NOT IN {statuses:Array(String)} OR NOT isFinite(power_w) OR e_today_kwh < 0
         OR ts < '2000-01-01' OR ts > now64(3) + INTERVAL 10 MINUTE OR (battery_soc IS NOT NULL AND (battery_soc < 0 OR battery_soc > 100))
         OR length(pv_v) > 64 OR length(fault_code) > 128) AS bad
       FROM telemetry`,
      { sns: SNS, statuses: [...STATUSES] }
    );
    expect(stored[0]).toEqual({ n: accepted, bad: 0 });
  });
});
