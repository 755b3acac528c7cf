// Rooms kept current from what changed must say exactly what a snapshot built from scratch says,
// and their deltas, applied by the wall's own merge, must bring a screen to that same snapshot:
// after random records, devices going offline with time, and plant-local midnights.
import { applyDelta, fromColumnar } from '$lib/socket/apply-delta.ts';
import { PlantTable, type WallSnapshot } from '$lib/socket/plant-table.ts';
import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import type { Delta, ReportedStatus, Snapshot } from '../../../server/contract.ts';
import { encodeDelta, encodeSnapshot } from '../../../server/live/columnar.ts';
import { LiveRooms } from '../../../server/live/rooms.ts';
import { LiveState } from '../../../server/live/state.ts';
import { TelemetryBatch, type AppliedFields as AppliedRecord } from '../../../server/ingest/batch.ts';
import { LARGE_SUBTREE } from '../../../server/live/tenantSeries.ts';
import { buildSnapshot } from '../../../server/live/view.ts';
import { Registry } from '../../../server/registry/registry.ts';
import { localDate, localDay } from '../../../server/time/zones.ts';

const OFFLINE_MS = 15 * 60_000;
const START = Date.parse('2026-11-21T09:58:00Z');
const ZONES = ['Europe/Berlin', 'Pacific/Auckland', 'America/New_York', 'Asia/Kolkata'];
const PLANTS = LARGE_SUBTREE + 16;
const PER_PLANT = 3;
const STATUSES: ReportedStatus[] = ['normal', 'normal', 'normal', 'standby', 'protect', 'fault'];

/** A distributor over two installers, each over customers; the distributor's subtree is large. */
function fleet() {
  // In memory only: rooms never touch the store.
  const registry = new Registry(null as unknown as ClickHouseClient);
  const tree = registry.tree;
  tree.putTenant({ id: 'd', name: 'D', parent_id: null, kind: 'distributor', timezone: 'Europe/Berlin' });
  for (const i of ['i0', 'i1']) tree.putTenant({ id: i, name: i, parent_id: 'd', kind: 'installer' });
  for (let c = 0; c < 6; c++) tree.putTenant({ id: `c${c}`, name: `c${c}`, parent_id: `i${c % 2}`, kind: 'customer', timezone: ZONES[c % ZONES.length] });
  for (let p = 0; p < PLANTS; p++) {
    tree.putPlant({ id: `p${p}`, tenant_id: `c${p % 6}`, name: `P${p}`, lat: p % 80, lon: p, timezone: ZONES[p % ZONES.length], capacity_kw: 10 });
    for (let d = 0; d < PER_PLANT; d++) tree.putDevice({ sn: `S${p}-${d}`, plant_id: `p${p}`, kind: 'inverter', rated_power_w: 5000 });
  }
  return { registry, live: new LiveState({ offlineAfterMs: OFFLINE_MS, now: START }) };
}

/** A seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function record(registry: Registry, sn: string, tsMs: number, status: ReportedStatus, power: number, energy: number): AppliedRecord {
  const plant = registry.tree.plants.get(registry.tree.devices.get(sn)!.plant_id)!;
  return {
    index: 0, sn, tsMs, status, power_w: power, e_today_kwh: energy, e_total_kwh: null, pv: [], battery_soc: null, battery_power_w: null,
    grid_power_w: null, load_power_w: null, temperature_c: null, fault_code: status === 'fault' ? 'F7' : null,
    plant_id: plant.id, local_date: localDate(tsMs, plant.timezone), e_delta_kwh: energy / 10, p_delta_w: power
  };
}

/** What a screen shows, but for the alarm list: the wall sorts it by time and keeps its own count. */
/** What a wall shows of a snapshot: its plants as the wall's table holds them (single-precision figures), in id order. */
const shown = (s: WallSnapshot | Snapshot) => {
  const table = s.plants instanceof PlantTable ? s.plants : PlantTable.fromPoints(s.plants);
  const plants = Array.from({ length: table.length }, (_, i) => table.at(i)).sort((a, b) => a.id.localeCompare(b.id));
  return { ...s, as_of: '', alarms: [], plants };
};
/** A screen as the display holds it, from the columnar encoding it asks for. */
const screenOf = (s: Snapshot): WallSnapshot => fromColumnar(encodeSnapshot(s));
const alarmKey = (a: { at: string; sn: string; kind: string }) => `${a.at}|${a.sn}|${a.kind}`;

describe('rooms kept current from what changed', () => {
  it('agree exactly with a snapshot from scratch, and their deltas bring a screen there, through a day of random records', () => {
    const { registry, live } = fleet();
    const rooms = new LiveRooms(registry, live);
    const roomIds = ['d', 'i0', 'i1', 'c0', 'c3'];
    const screens = new Map(roomIds.map((id) => [id, screenOf(rooms.snapshot(id, START))]));
    const heard = new Map(roomIds.map((id) => [id, new Set<string>()]));
    const next = random(20261121);
    let now = START;
    let deltas = 0;
    let resyncs = 0;
    // 250 steps of up to 12 minutes: more than a day, so every plant crosses its local midnight.
    for (let step = 0; step < 250; step++) {
      now += Math.floor(next() * 12 * 60_000);
      // Some steps bring records (a few late), others only let time pass: devices go offline.
      if (next() < 0.7) {
        const batch: AppliedRecord[] = [];
        const n = 1 + Math.floor(next() * 12);
        for (let k = 0; k < n; k++) {
          const sn = `S${Math.floor(next() * PLANTS)}-${Math.floor(next() * PER_PLANT)}`;
          const status = STATUSES[Math.floor(next() * STATUSES.length)];
          batch.push(record(registry, sn, now - Math.floor(next() * 4 * 60_000), status, Math.round(next() * 50_000) / 10, Math.round(next() * 400) / 100));
        }
        live.apply(TelemetryBatch.of(batch), now);
      }
      for (const id of roomIds) {
        const delta = rooms.update(id, now);
        const fresh = buildSnapshot(registry, live, id, now);
        expect(rooms.snapshot(id, now), `room ${id} at step ${step}`).toEqual(fresh);
        if (delta === 'resync') {
          resyncs++;
          screens.set(id, screenOf(rooms.snapshot(id, now)));
        } else if (delta) {
          deltas++;
          screens.set(id, applyDelta(screens.get(id)!, encodeDelta(delta)));
          for (const a of delta.alarms ?? []) {
            expect(heard.get(id)!.has(alarmKey(a)), `alarm ${alarmKey(a)} told twice`).toBe(false);
            heard.get(id)!.add(alarmKey(a));
          }
        }
        expect(shown(screens.get(id)!), `screen of ${id} at step ${step}`).toEqual(shown(fresh));
        for (const a of fresh.alarms ?? []) expect(heard.get(id)!.has(alarmKey(a)), `alarm ${alarmKey(a)} missed by ${id}`).toBe(true);
      }
    }
    expect(deltas).toBeGreaterThan(250);
    expect(now - START).toBeGreaterThan(24 * 3_600_000);
    expect(resyncs).toBe(0);
    expect(heard.get('d')!.size).toBeGreaterThan(50);
  });

  it('counts a device offline when its time runs out, with no record, and sends that as a delta', () => {
    const { registry, live } = fleet();
    const rooms = new LiveRooms(registry, live);
    live.apply(TelemetryBatch.of([record(registry, 'S5-0', START, 'normal', 4000, 2)]), START);
    const before = rooms.snapshot('c5', START);
    expect(before.status).toMatchObject({ normal: 1, offline: PER_PLANT * before.plants.length - 1 });
    expect(before.plants.find((p) => p.id === 'p5')).toMatchObject({ status: 'normal', power_w: 4000 });
    const still = rooms.update('c5', START + OFFLINE_MS);
    expect(still && still !== 'resync' && still.status).toBeFalsy();
    const delta = rooms.update('c5', START + OFFLINE_MS + 1) as Delta | null;
    expect(delta && delta.status).toMatchObject({ normal: 0, offline: PER_PLANT * before.plants.length });
    expect(delta && delta.kpi?.power_w).toBe(0);
    expect(delta && delta.plants).toEqual([{ ...before.plants.find((p) => p.id === 'p5')!, status: 'offline', power_w: 0 }]);
  });

  it("rolls a plant's today over at its local midnight", () => {
    const { registry, live } = fleet();
    const rooms = new LiveRooms(registry, live);
    // p1 is in Auckland: its day ends long before Berlin's.
    live.apply(TelemetryBatch.of([record(registry, 'S1-0', START, 'normal', 1000, 30)]), START);
    const before = rooms.snapshot('c1', START);
    expect(before.plants.find((p) => p.id === 'p1')!.today_kwh).toBe(3);
    const midnight = localDay(START, 'Pacific/Auckland').end;
    expect(midnight - START).toBeGreaterThan(OFFLINE_MS);
    expect(rooms.update('c1', START + OFFLINE_MS + 1)).toMatchObject({ status: { offline: PER_PLANT * before.plants.length } });
    rooms.update('c1', midnight - 1);
    expect(rooms.snapshot('c1', midnight - 1).plants.find((p) => p.id === 'p1')!.today_kwh).toBe(3);
    const delta = rooms.update('c1', midnight);
    expect(delta && delta !== 'resync' && delta.plants?.find((p) => p.id === 'p1')?.today_kwh).toBe(0);
    expect(delta && delta !== 'resync' && delta.kpi?.today_kwh).toBe(0);
  });
});
