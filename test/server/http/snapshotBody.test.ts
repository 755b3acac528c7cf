// The HTTP snapshot's bytes are exactly JSON.stringify's, whatever the names hold and however the
// plants change between versions; validators and encodings are read as HTTP means them.
import { describe, expect, it } from 'vitest';
import type { PlantPoint, Snapshot } from '../../../server/contract.ts';
import { encodingFor, notModified, snapshotBytes } from '../../../server/http/snapshotBody.ts';

const point = (id: string, name: string, power_w: number): PlantPoint => ({ id, name, lat: 47.376887, lon: 8.541694, status: 'normal', power_w, today_kwh: 1.25, capacity_kw: 30 });

function snapshot(plants: PlantPoint[]): Snapshot {
  return {
    as_of: '2026-11-21T15:00:00.000Z',
    tenant: { id: 't', name: 'Zürich "Süd" \\ 太阳', title: 'Tür ☀', logo_url: null, timezone: 'Europe/Zurich', accent_color: null, theme: 'control-room', language: 'en' },
    status: { all: 2, normal: 2, standby: 0, protect: 0, fault: 0, offline: 0 },
    kpi: { power_w: 3, today_kwh: 2.5, month_kwh: 2.5, year_kwh: 2.5, total_kwh: 2.5, co2_avoided_kg: 1.19, trees_planted: 0, coal_saved_kg: 1 },
    plants,
    series: { today: [{ t: '2026-11-21T14:55:00.000Z', power_w: 3 }], days: [], months: [], years: [] },
    alarms: []
  } as Snapshot;
}

describe('snapshot bytes', () => {
  it('are JSON.stringify of the snapshot, for no plant, one, and many with any characters', () => {
    for (const plants of [[], [point('p1', 'Roof', 1)], [point('p1', 'Dach ☀ "A"', 1), point('p2', '屋顶\n\\', 2), point('p3', '😀', 0.1)]]) {
      const s = snapshot(plants);
      expect(snapshotBytes(s).toString('utf8')).toBe(JSON.stringify(s));
      expect(snapshotBytes(s).length).toBe(Buffer.byteLength(JSON.stringify(s)));
    }
  });

  it('follow a plant that changed while the others keep their cached pieces', () => {
    const plants = [point('p1', 'A', 1), point('p2', 'B', 2), point('p3', 'C', 3)];
    snapshotBytes(snapshot(plants));
    const next = [plants[0], point('p2', 'B', 2000), plants[2]];
    expect(JSON.parse(snapshotBytes(snapshot(next)).toString('utf8')).plants[1].power_w).toBe(2000);
    expect(snapshotBytes(snapshot(next)).toString('utf8')).toBe(JSON.stringify(snapshot(next)));
  });
});

describe('validators and encodings', () => {
  it('match an ETag weakly, in a list, or by *', () => {
    expect(notModified('W/"a.1"', 'W/"a.1"')).toBe(true);
    expect(notModified('"a.1"', 'W/"a.1"')).toBe(true);
    expect(notModified('W/"x.9", W/"a.1"', 'W/"a.1"')).toBe(true);
    expect(notModified('*', 'W/"a.1"')).toBe(true);
    expect(notModified('W/"a.12"', 'W/"a.1"')).toBe(false);
    expect(notModified(undefined, 'W/"a.1"')).toBe(false);
  });

  it('pick brotli, then gzip, and identity when nothing else is accepted', () => {
    expect(encodingFor('gzip, deflate, br, zstd')).toBe('br');
    expect(encodingFor('gzip, deflate')).toBe('gzip');
    expect(encodingFor('br;q=0, gzip')).toBe('gzip');
    expect(encodingFor('deflate')).toBe('identity');
    expect(encodingFor(undefined)).toBe('identity');
  });
});
