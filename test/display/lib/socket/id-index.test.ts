import { describe, expect, it } from 'vitest';
import { IdIndex } from '$lib/socket/id-index.ts';

function joined(ids: string[]) {
  const end = new Uint32Array(ids.length);
  let at = 0;
  ids.forEach((id, i) => (end[i] = at += id.length));
  return { text: ids.join(''), end };
}

describe('IdIndex', () => {
  it('finds every row of a large table by its id, and nothing for an id it does not hold', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `plant-${i}`);
    const { text, end } = joined(ids);
    const index = new IdIndex(text, end);
    for (let i = 0; i < ids.length; i += 7) expect(index.find(ids[i])).toBe(i);
    expect(index.find('plant-50000')).toBe(-1);
    expect(index.find('plant-')).toBe(-1);
    expect(index.find('')).toBe(-1);
  });

  it('tells apart ids that run into each other in the joined text', () => {
    // "ab" + "c" and "a" + "bc" join to the same text; the ends tell them apart.
    const { text, end } = joined(['ab', 'c', 'a', 'bc', 'Zürich-1', '東京-2']);
    const index = new IdIndex(text, end);
    expect([index.find('ab'), index.find('c'), index.find('a'), index.find('bc')]).toEqual([0, 1, 2, 3]);
    expect(index.find('abc')).toBe(-1);
    expect(index.find('東京-2')).toBe(5);
    expect(index.find('Zürich-1')).toBe(4);
  });

  it('looks up an id given as a range of another joined text, without slicing it', () => {
    const index = new IdIndex(...(Object.values(joined(['x-1', 'x-2', 'x-3'])) as [string, Uint32Array]));
    const delta = 'x-3x-9x-1';
    expect([index.find(delta, 0, 3), index.find(delta, 3, 6), index.find(delta, 6, 9)]).toEqual([2, -1, 0]);
  });

  it('holds an empty table', () => {
    const index = new IdIndex('', new Uint32Array(0));
    expect(index.find('a')).toBe(-1);
  });
});
