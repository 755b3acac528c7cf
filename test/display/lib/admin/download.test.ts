import { describe, expect, it } from 'vitest';
import { countLines, downloadReport, fraction } from '$lib/admin/download.ts';

describe('export progress', () => {
  it('is a fraction of the expected rows or bytes, unknown without a total', () => {
    expect(fraction({ received: 25, total: 100 })).toBe(0.25);
    expect(fraction({ received: 120, total: 100 })).toBe(1);
    expect(fraction({ received: 5, total: null })).toBeNull();
    expect(fraction({ received: 0, total: 0 })).toBe(1);
  });

  it('counts CSV rows as they arrive, not the header', async () => {
    expect(countLines('a,b\r\n1,2\r\n3')).toBe(2);
    const body = '\ufeffPlant,kWh\r\n' + Array.from({ length: 1000 }, (_, i) => `p${i},${i}\r\n`).join('');
    const seen: number[] = [];
    const fetcher = (async () =>
      new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'x-total-rows': '1000' } })) as unknown as typeof fetch;
    const blob = await downloadReport('/x.csv', 'x.csv', (p) => seen.push(p.received / (p.total ?? 1)), fetcher);
    expect(seen.at(-1)).toBe(1);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new TextEncoder().encode(body));
  });

  it('reports the server message when the export is refused', async () => {
    const fetcher = (async () => new Response(JSON.stringify({ message: 'from must not be after to' }), { status: 400 })) as unknown as typeof fetch;
    await expect(downloadReport('/x.csv', 'x.csv', () => {}, fetcher)).rejects.toThrow('from must not be after to');
  });
});
