import { describe, expect, it, vi } from 'vitest';
import { buildDemoFleet, type DemoFleet } from '../../../server/demo/fleet.ts';
import { addDays, localDate, localHour, startOfLocalDate } from '../../../server/time/zones.ts';
import { DemoSimulator, MAX_BATCH_RECORDS } from '../../../server/demo/simulator.ts';
import type { Plant, TelemetryRecord } from '../../../server/model.ts';
import { expectValidRecords } from './contractChecks.ts';
import { MemorySink } from './fakeSink.ts';

const fleet = buildDemoFleet();
const NOW = Date.parse('2026-11-21T08:05:00Z');
const CADENCE = 300_000;
const OFFLINE_AFTER = 15 * 60_000;

function plantIndex(f: DemoFleet): (sn: string) => Plant {
  const plants = new Map(f.plants.map((p) => [p.id, p]));
  const bySn = new Map(f.devices.map((d) => [d.sn, plants.get(d.plant_id)!]));
  return (sn) => bySn.get(sn)!;
}
const plantOf = plantIndex(fleet);
const kindOf = new Map(fleet.devices.map((d) => [d.sn, d.kind]));
const ms = (r: TelemetryRecord): number => Date.parse(r.ts as string);

function bySn(records: TelemetryRecord[]): Map<string, TelemetryRecord[]> {
  const out = new Map<string, TelemetryRecord[]>();
  for (const r of records) {
    const list = out.get(r.sn) ?? [];
    list.push(r);
    out.set(r.sn, list);
  }
  for (const list of out.values()) list.sort((a, b) => ms(a) - ms(b));
  return out;
}

function simulator(sink: MemorySink, clock: { t: number }, f: DemoFleet = fleet, log = (_: string) => {}) {
  return new DemoSimulator(f, sink, { now: () => clock.t, seed: 1, log });
}

describe('DemoSimulator.seedToday', () => {
  it('registers the fleet once, then sends records from each plant-local midnight up to now', async () => {
    const sink = new MemorySink();
    const clock = { t: NOW };
    const started = performance.now();
    const summary = await simulator(sink, clock).seedToday();
    expect(performance.now() - started).toBeLessThan(5_000);

    expect(sink.calls[0]!.kind).toBe('registry');
    expect(sink.calls.filter((c) => c.kind === 'registry')).toHaveLength(1);
    expect(sink.calls[0]!.registry).toEqual({ tenants: fleet.tenants, plants: fleet.plants, devices: fleet.devices });

    const batches = sink.batches;
    expect(summary).toEqual({ records: sink.records.length, batches: batches.length });
    expect(new Set(batches.map((b) => b.batch_id)).size).toBe(batches.length);
    for (const b of batches) {
      expect(b.records.length).toBeLessThanOrEqual(MAX_BATCH_RECORDS);
      expect(b.batch_id).toMatch(/^demo-today-/);
    }

    expectValidRecords(sink.records);
    const outsideToday = sink.records.filter((r) => {
      const { timezone } = plantOf(r.sn);
      const today = localDate(NOW, timezone);
      return localDate(ms(r), timezone) !== today || ms(r) < startOfLocalDate(today, timezone) || ms(r) > NOW;
    });
    expect(outsideToday).toEqual([]);
    // Every device has today's curve, save a few that happen to be silent.
    const devices = bySn(sink.records);
    expect(devices.size).toBeGreaterThan(fleet.devices.length * 0.97);
    for (const [sn, list] of devices) {
      const { timezone } = plantOf(sn);
      const expected = Math.floor((NOW - startOfLocalDate(localDate(NOW, timezone), timezone)) / CADENCE);
      // At most one outage of up to an hour (12 reports) per six hours.
      expect(list.length).toBeGreaterThanOrEqual(expected - 12 * (Math.ceil(expected / 72) + 1));
      expect(list.length).toBeLessThanOrEqual(expected + 1);
    }
  });

  it('is deterministic given the seed and the clock', async () => {
    const a = new MemorySink();
    const b = new MemorySink();
    await simulator(a, { t: NOW }).seedToday();
    await simulator(b, { t: NOW }).seedToday();
    expect(b.records).toEqual(a.records);
  });
});

describe('DemoSimulator live loop', () => {
  it('keeps e_today_kwh rising within a plant-local day and resets it after local midnight', async () => {
    const sink = new MemorySink();
    const clock = { t: NOW };
    const sim = simulator(sink, clock);
    await sim.seedToday();
    const seeded = sink.batches.length;
    let ticksWithRecords = 0;
    for (const end = NOW + 30 * 3_600_000; clock.t < end;) {
      clock.t += 60_000;
      if ((await sim.tick()) > 0) ticksWithRecords++;
    }
    const live = sink.batches.slice(seeded);
    expect(live).toHaveLength(ticksWithRecords); // one batch per tick
    const ids = sink.batches.map((b) => b.batch_id);
    expect(new Set(ids).size).toBe(ids.length);

    expectValidRecords(sink.records);
    let resets = 0;
    const broken: string[] = [];
    for (const [sn, list] of bySn(sink.records)) {
      const { timezone } = plantOf(sn);
      let previous: TelemetryRecord | null = null;
      for (const r of list) {
        if (previous) {
          if (r.e_total_kwh! < previous.e_total_kwh!) broken.push(`e_total fell: ${sn} ${r.ts}`);
          if (localDate(ms(r), timezone) === localDate(ms(previous), timezone)) {
            if (r.e_today_kwh < previous.e_today_kwh) broken.push(`e_today fell: ${sn} ${r.ts}`);
          } else if (kindOf.get(sn) !== 'charger') {
            // PV produces nothing around midnight: the new day starts from zero.
            if (r.e_today_kwh !== 0) broken.push(`no reset: ${sn} ${r.ts}`);
            if (previous.e_today_kwh > 0) resets++;
          } else if (r.e_today_kwh >= 2) {
            broken.push(`no reset: ${sn} ${r.ts}`); // at most 5 minutes at 22 kW into the new day
          }
        }
        previous = r;
      }
    }
    expect(broken).toEqual([]);
    expect(resets).toBeGreaterThan(fleet.devices.length * 0.8);
  });

  it('staggers reports over the cadence, each device once per cadence', async () => {
    const sink = new MemorySink();
    const clock = { t: NOW };
    const sim = simulator(sink, clock);
    await sim.seedToday();
    const seeded = sink.batches.length;
    const perTick: number[] = [];
    for (let i = 0; i < CADENCE / 5_000; i++) {
      clock.t += 5_000;
      perTick.push(await sim.tick());
    }
    const live = sink.batches.slice(seeded).flatMap((b) => b.records);
    const perDevice = bySn(live);
    for (const list of perDevice.values()) expect(list).toHaveLength(1);
    expect(perDevice.size).toBeGreaterThan(fleet.devices.length * 0.97);
    expect(perTick.filter((n) => n > 0).length).toBeGreaterThan(perTick.length * 0.75);
    expect(Math.max(...perTick)).toBeLessThan(fleet.devices.length * 0.06);
    const phases = new Set(live.map((r) => ms(r) % CADENCE));
    expect(phases.size).toBeGreaterThan(fleet.devices.length * 0.9);
    for (const r of live) expect(ms(r)).toBeLessThanOrEqual(clock.t);
  });

  it('shows a few faults, protections and offline devices at any time, not chaos', async () => {
    const sink = new MemorySink();
    const clock = { t: NOW };
    const sim = simulator(sink, clock);
    await sim.seedToday();
    const latest = new Map<string, TelemetryRecord>();
    for (const r of sink.records) latest.set(r.sn, r);
    let seen = sink.batches.length;
    const samples: { fault: number; protect: number; offline: number }[] = [];
    for (let i = 1; i <= 24 * 60; i++) {
      clock.t += 60_000;
      await sim.tick();
      for (const b of sink.batches.slice(seen)) for (const r of b.records) latest.set(r.sn, r);
      seen = sink.batches.length;
      if (i % 10 !== 0) continue;
      const count = { fault: 0, protect: 0, offline: 0 };
      for (const d of fleet.devices) {
        const r = latest.get(d.sn);
        if (!r || clock.t - ms(r) > OFFLINE_AFTER) count.offline++;
        else if (r.status === 'fault' || r.status === 'protect') count[r.status]++;
      }
      samples.push(count);
    }
    for (const kind of ['fault', 'protect', 'offline'] as const) {
      const values = samples.map((s) => s[kind]);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(mean, kind).toBeGreaterThan(1);
      expect(mean, kind).toBeLessThan(fleet.devices.length * 0.03);
      expect(values.filter((v) => v > 0).length, kind).toBeGreaterThan(values.length * 0.6);
      expect(Math.max(...values), kind).toBeLessThan(fleet.devices.length * 0.06);
    }
  });

  it('runs on a timer, logs failed ingests without throwing, and stops', async () => {
    const sink = new MemorySink();
    const log = vi.fn();
    const realStart = Date.now();
    const clock = { get t() { return NOW + (Date.now() - realStart) * 200; } };
    const sim = new DemoSimulator(fleet, sink, { now: () => clock.t, tickMs: 10, log });
    let fail = true;
    sink.beforeIngest = () => {
      if (fail) {
        fail = false;
        throw new Error('store unavailable');
      }
    };
    sim.start();
    // Wait for the work, not a fixed time: a loaded machine runs timers late.
    await vi.waitFor(() => expect(sink.batches.length).toBeGreaterThan(1), { timeout: 10_000, interval: 20 });
    await sim.stop();
    const count = sink.batches.length;
    expect(count).toBeGreaterThan(1);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('store unavailable'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sink.batches.length).toBe(count);
    expectValidRecords(sink.records);
  });
});

describe('DemoSimulator.backfill', () => {
  // A slice of the fleet keeps the five years quick to check record by record.
  const slice: DemoFleet = {
    tenants: fleet.tenants,
    plants: fleet.plants.slice(0, 24),
    devices: fleet.devices.filter((d) => fleet.plants.slice(0, 24).some((p) => p.id === d.plant_id)),
  };

  it('covers the requested years with one record per device and plant-local day, newest first', async () => {
    const sink = new MemorySink();
    const sim = simulator(sink, { t: NOW }, slice);
    await sim.seedToday();
    const todayRecords = bySn(sink.records);
    const seeded = sink.batches.length;
    const summary = await sim.backfill({ years: 5 });
    const batches = sink.batches.slice(seeded);
    const records = batches.flatMap((b) => b.records);
    expect(summary).toEqual({ records: records.length, batches: batches.length, cancelled: false });
    expect(new Set(batches.map((b) => b.batch_id)).size).toBe(batches.length);
    for (const b of batches) {
      expect(b.batch_id).toMatch(/^demo-backfill-\d{4}-\d{2}-\d{2}-/);
      expect(b.records.length).toBeLessThanOrEqual(MAX_BATCH_RECORDS);
    }
    // Newest first: each batch starts no later than the previous one ended.
    const firstDates = batches.map((b) => b.records[0]!.ts as string);
    expect([...firstDates].sort().reverse()).toEqual(firstDates);

    const history = bySn(records);
    expect(history.size).toBe(slice.devices.length);
    for (const [sn, list] of history) {
      const plant = plantOf(sn);
      const today = localDate(NOW, plant.timezone);
      const fiveYearsAgo = `${Number(today.slice(0, 4)) - 5}${today.slice(4)}`;
      const from = plant.built_on! > fiveYearsAgo ? plant.built_on! : fiveYearsAgo;
      const dates = list.map((r) => localDate(ms(r), plant.timezone));
      const expected: string[] = [];
      for (let d = from; d < today; d = addDays(d, 1)) expected.push(d);
      expect(dates).toEqual(expected);
      let previous: TelemetryRecord | null = null;
      const broken: string[] = [];
      for (const r of list) {
        if (r.status !== 'normal' || r.power_w !== 0) broken.push(`not a day record: ${r.ts}`);
        if (Math.round(localHour(ms(r), plant.timezone)) !== 21) broken.push(`not at 21:00 local: ${r.ts}`);
        if (previous && Math.abs(r.e_total_kwh! - previous.e_total_kwh! - r.e_today_kwh) > 0.2) broken.push(`e_total step: ${r.ts}`);
        previous = r;
      }
      expect(broken, sn).toEqual([]);
      // History joins up with today's live counters.
      const firstToday = todayRecords.get(sn)?.[0];
      if (firstToday) {
        expect(firstToday.e_total_kwh!).toBeGreaterThanOrEqual(previous!.e_total_kwh!);
        expect(firstToday.e_total_kwh! - previous!.e_total_kwh!).toBeLessThan(5);
      }
    }
    expectValidRecords(records);
    // Plausible daily yields: a few kWh per kW of PV.
    const pv = records.filter((r) => kindOf.get(r.sn) !== 'charger');
    const rated = new Map(fleet.devices.map((d) => [d.sn, d.rated_power_w / 1000]));
    const yieldPerKw = pv.reduce((s, r) => s + r.e_today_kwh / rated.get(r.sn)!, 0) / pv.length;
    expect(yieldPerKw).toBeGreaterThan(2);
    expect(yieldPerKw).toBeLessThan(6);
  });

  it('stops when stop() is called', async () => {
    const sink = new MemorySink();
    const sim = simulator(sink, { t: NOW });
    let stopping: Promise<void> | null = null;
    sink.beforeIngest = async () => {
      if (sink.batches.length === 1 && !stopping) stopping = sim.stop();
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const summary = await sim.backfill();
    await stopping;
    expect(summary.cancelled).toBe(true);
    expect(sink.batches.length).toBeLessThanOrEqual(3);
    expect(summary.records).toBe(sink.records.length);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sink.batches.length).toBeLessThanOrEqual(3);
  });
});
