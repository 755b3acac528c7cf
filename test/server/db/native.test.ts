// Native blocks as the engine reads them: every column type ingest writes, with the values that
// are easy to get wrong (nulls, empty and multi-byte strings, long strings, bytes that look like
// line ends, repeats), and a retried block with the same token stored once.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { NativeBlock } from '../../../server/db/native.ts';
import { createStore, insertNative, rows } from '../../../server/db/store.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'fleetwall-native-'));
const store = createStore(loadConfig({ FLEETWALL_DATA: dataDir, FLEETWALL_DEMO: 'off' }));

afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const F = (values: number[]) => Float64Array.from(values);

describe('Native blocks', () => {
  it('store every column as the engine reads it back, once per token', async () => {
    await store.command({
      query: `CREATE TABLE native_check (k UInt32, s String, f Float64, n Nullable(Float64), g Nullable(Float32), ts DateTime64(3, 'UTC'),
        d Date, r String, c Nullable(String), a Array(Float32), an Array(Nullable(Float32)), lc LowCardinality(String))
        ENGINE = MergeTree ORDER BY k SETTINGS non_replicated_deduplication_window = 100`
    });
    const long = 'Ω'.repeat(50) + 'x'.repeat(200);
    const s = ['INV-1', 'INV-1', 'Wärmepumpe №7', '', long, 'a\u0000b', 'INV-1'];
    const n = s.length;
    // 2570 as a little-endian UInt64 offset is the bytes 0A 0A: two line ends inside binary data.
    const ends = Int32Array.from([1, 1, 3, 2570, 2570, 2571, 2572]);
    const flat = F(Array.from({ length: 2572 }, (_, k) => (k % 7 === 3 ? Number.NaN : k / 2)));
    const ts = [Date.UTC(2026, 10, 21, 7, 55), Date.UTC(2000, 0, 1), Date.UTC(2099, 11, 31, 23, 59, 59, 999), 1, 2, 3, 4];
    const block = () =>
      new NativeBlock(n)
        .float64('k', F(s.map((_, k) => k)))
        .string('s', s)
        .float64('f', F([1.5, -0, 1e300, 5e-324, 0.1, 2, 3]))
        .nullableFloat64('n', F([Number.NaN, 1, Number.NaN, 2.5, 0, Number.NaN, 7]))
        .nullableFloat32('g', F([41.5, Number.NaN, 0, 1, 2, 3, 4]))
        .dateTime64ms('ts', F(ts))
        .date('d', Int32Array.from([20413, 0, 47481, 1, 2, 3, 4]))
        .repeated('r', 'batch-1')
        .nullableString('c', ['F07', null, '', 'E\u00e9', null, 'x', null])
        .float32Arrays('a', ends, flat)
        .float32Arrays('an', ends, flat, true)
        .string('lc', ['normal', 'normal', 'fault', 'fault', 'standby', 'normal', 'protect']);
    await insertNative(store, 'native_check', block(), 'token-1');
    await insertNative(store, 'native_check', block(), 'token-1');
    const back = await rows<Record<string, unknown>>(
      store,
      `SELECT k, s, f, n, g, toUnixTimestamp64Milli(ts) AS ts, toUInt16(d) AS d, r, c, length(a) AS al, a[1] AS a1, an[1] AS an1,
              arraySum(a) AS asum, countEqual(arrayMap(x -> isNull(x), an), 1) AS anNulls, lc
       FROM native_check ORDER BY k`
    );
    expect(back.map((r) => r.s)).toEqual(s);
    expect(back.map((r) => r.f)).toEqual([1.5, -0, 1e300, 5e-324, 0.1, 2, 3]);
    expect(back.map((r) => r.n)).toEqual([null, 1, null, 2.5, 0, null, 7]);
    expect(back.map((r) => r.g)).toEqual([41.5, null, 0, 1, 2, 3, 4]);
    expect(back.map((r) => Number(r.ts))).toEqual(ts);
    expect(back.map((r) => r.d)).toEqual([20413, 0, 47481, 1, 2, 3, 4]);
    expect(back.map((r) => r.r)).toEqual(Array(n).fill('batch-1'));
    expect(back.map((r) => r.c)).toEqual(['F07', null, '', 'E\u00e9', null, 'x', null]);
    expect(back.map((r) => r.al)).toEqual([1, 0, 2, 2567, 0, 1, 1]);
    expect([back[2].a1, back[2].asum]).toEqual([0.5, 1.5]);
    expect(back[3].an1).toBeNull(); // element 3 of the flat values is NaN: a null in Array(Nullable)
    expect(back.map((r) => r.anNulls)).toEqual([0, 0, 0, 367, 0, 0, 0]);
    expect(back.map((r) => r.lc)).toEqual(['normal', 'normal', 'fault', 'fault', 'standby', 'normal', 'protect']);
    // The block waited in a file for the embedded engine; none is left behind.
    expect(readdirSync(join(dataDir, 'insert-blocks'))).toEqual([]);
  });

  // Every block comes through a file of its own name: an entry the engine kept per file would be
  // memory that grows with the number of inserts (test/RESULTS.md, "Engine memory").
  it('leave nothing in the engine per insert: no schema inference cache entry for their files', async () => {
    await store.command({ query: 'CREATE TABLE native_cache_check (k UInt32, s String) ENGINE = MergeTree ORDER BY k' });
    for (let i = 0; i < 5; i++) await insertNative(store, 'native_cache_check', new NativeBlock(2).float64('k', F([i, i + 10])).string('s', ['a', 'b']), `cache-${i}`);
    expect(await rows(store, 'SELECT count() AS n FROM native_cache_check')).toEqual([{ n: 10 }]);
    expect(await rows(store, `SELECT source, number_of_rows FROM system.schema_inference_cache WHERE source LIKE '%.native'`)).toEqual([]);
  });
});
