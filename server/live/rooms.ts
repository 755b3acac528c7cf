// A room's figures (one room per screen scope), kept current from what changed instead of being
// rebuilt from every plant each second: the plants whose summaries changed (records, devices
// going offline, local midnight), the series when records touched the subtree, the header when
// branding changed. Work per tick is once per changed plant for each room that contains it
// (its tenant's and every ancestor's), never per plant of a room. A registry change rebuilds
// the rooms from their plants, as before.
import type { Branding, EffectiveBranding } from '../branding/branding.ts';
import { DEFAULT_CO2_KG_PER_KWH, DEFAULT_COAL_KG_PER_KWH, DEFAULT_TREE_CO2_KG } from '../branding/branding.ts';
import type { AlarmEvent, Delta, Kpi, PlantPoint, Series, Snapshot, StatusCounts, TenantHeader } from '../contract.ts';
import type { Registry } from '../registry/registry.ts';
import { localDate } from '../time/zones.ts';
import type { AlarmEntry } from './alarms.ts';
import { liveCaches, type LiveCaches } from './caches.ts';
import { round } from './round.ts';
import { buildSeries, samePoints } from './series.ts';
import { BUCKET_MS, type LiveState } from './state.ts';
import { samePoint, type PlantSummary } from './summaries.ts';

const ALARMS_IN_SNAPSHOT = 50;
// Running sums are integers (mW, 0.1 Wh) so that taking a plant's old figures away and adding its
// new ones is exact: a room that runs for weeks equals a sum from scratch. Exact up to 2^53 units
// (9e12 W of power, 9e11 kWh of energy).
const W = 1000;
const KWH = 10_000;

interface RoomDeps extends LiveCaches {
  registry: Registry;
  live: LiveState;
  branding?: Branding;
}

/** Room versions, unique in the process: a room made again after a drop never repeats one. */
let versions = 0;

const flatEqual = (a: object, b: object) => {
  for (const key in a) if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  return true;
};
const alarmKey = (a: AlarmEvent) => `${a.at}|${a.sn}|${a.kind}`;

export class RoomView {
  #plantIds: readonly string[] = [];
  #plantSet: ReadonlySet<string> = new Set();
  /** Each plant's summary as the room's sums hold it. */
  #accounted = new Map<string, PlantSummary>();
  readonly #pending = new Set<string>();
  #stale = true;
  #headerStale = true;
  #seriesStale = true;
  readonly #counts: StatusCounts = { all: 0, normal: 0, standby: 0, protect: 0, fault: 0, offline: 0 };
  #power = 0;
  #today = 0;
  #total = 0;
  /** How many plants are on each plant-local date: the series end at the latest. */
  readonly #dates = new Map<string, number>();
  #timezone = 'UTC';
  #brand: EffectiveBranding | undefined;
  #header: TenantHeader | null = null;
  #status: StatusCounts | null = null;
  #kpi: Kpi | null = null;
  #series: Series | null = null;
  #seriesKey = '';
  #seriesPower = Number.NaN;
  #alarms: AlarmEvent[] = [];
  #alarmSeq = 0;
  #asOf = '';
  /** The plant points in the room's order, assembled when a newcomer asks after a change. */
  #points: PlantPoint[] | null = null;
  /** Changes whenever the snapshot's figures do (not when only `as_of` moves on). */
  #version = 0;
  #updatedAt = Number.NaN;

  constructor(
    readonly tenantId: string,
    readonly deps: RoomDeps
  ) {}

  plantChanged(plantId: string): void {
    this.#pending.add(plantId);
  }

  seriesChanged(): void {
    this.#seriesStale = true;
  }

  registryChanged(): void {
    this.#stale = true;
    this.#headerStale = true;
  }

  brandingChanged(): void {
    this.#headerStale = true;
  }

  get version(): number {
    return this.#version;
  }

  /** When the room was last brought up to date (epoch ms). */
  get updatedAt(): number {
    return this.#updatedAt;
  }

  /**
   * Whether the room's figures may differ at `now` from those of its last update: something
   * arrived since (records, plants whose time ran out once summaries are advanced, registry,
   * branding, alarms) or a new 5-minute bucket began.
   */
  behindAt(now: number): boolean {
    return (
      this.#stale ||
      this.#headerStale ||
      this.#seriesStale ||
      this.#pending.size > 0 ||
      this.deps.live.alarms.lastSeq !== this.#alarmSeq ||
      Math.floor(now / BUCKET_MS) !== Math.floor(this.#updatedAt / BUCKET_MS)
    );
  }

  /**
   * Brings the room to `now` and says what its members must be told: a delta, null when nothing
   * changed, or 'resync' when a delta cannot say it (a plant left, the header changed). The
   * first update builds the room and tells nothing.
   */
  update(now: number): Delta | null | 'resync' {
    const first = this.#asOf === '';
    const delta: Delta = { as_of: new Date(now).toISOString() };
    const rebuilt = this.#stale;
    let resync = rebuilt ? this.#rebuild(now, delta, first) : (this.#applyPending(now, delta), false);
    if (this.#headerStale) {
      const header = this.#makeHeader();
      if (this.#header && JSON.stringify(header) !== JSON.stringify(this.#header)) resync = true;
      this.#header = header;
      this.#headerStale = false;
    }
    const status = { ...this.#counts };
    if (!this.#status || !flatEqual(status, this.#status)) delta.status = this.#status = status;
    const endDate = this.#endDate(now);
    const key = `${endDate}|${Math.floor(now / BUCKET_MS)}`;
    if (this.#seriesStale || key !== this.#seriesKey || this.#power !== this.#seriesPower || !this.#series) {
      const series = buildSeries(this.deps.series.sources(this.tenantId), endDate, this.#timezone, now, this.#power / W);
      const changed: Partial<Series> = {};
      for (const name of ['today', 'days', 'months', 'years'] as const) {
        if (!this.#series || !samePoints(this.#series[name], series[name])) Object.assign(changed, { [name]: series[name] });
      }
      if (Object.keys(changed).length > 0) delta.series = changed;
      this.#series = series;
      this.#seriesKey = key;
      this.#seriesPower = this.#power;
      this.#seriesStale = false;
    }
    const kpi = this.#makeKpi(endDate);
    if (!this.#kpi || !flatEqual(kpi, this.#kpi)) delta.kpi = this.#kpi = kpi;
    this.#followAlarms(delta);
    this.#asOf = delta.as_of;
    this.#updatedAt = now;
    const changed = Object.keys(delta).length > 1;
    if (delta.plants || rebuilt) this.#points = null;
    if (first || resync || changed) this.#version = ++versions;
    if (first) return null;
    if (resync) return 'resync';
    return changed ? delta : null;
  }

  /** The room as its members have it after the last update. */
  snapshot(): Snapshot {
    this.#points ??= this.#plantIds.map((id) => this.#accounted.get(id)!.point);
    return {
      as_of: this.#asOf,
      tenant: this.#header!,
      status: this.#status!,
      kpi: this.#kpi!,
      plants: this.#points,
      series: this.#series!,
      alarms: this.#alarms
    };
  }

  #applyPending(now: number, delta: Delta): void {
    const summaries = this.deps.summaries;
    for (const id of this.#pending) {
      const old = this.#accounted.get(id);
      if (!old) continue;
      const next = summaries.get(id, now);
      if (next === old) continue;
      this.#take(old);
      this.#add(next);
      this.#accounted.set(id, next);
      if (!samePoint(old.point, next.point)) (delta.plants ??= []).push(next.point);
    }
    this.#pending.clear();
  }

  /** All plants summed again (new room, registry change); true when a plant left the room. */
  #rebuild(now: number, delta: Delta, first: boolean): boolean {
    const { registry, summaries, live } = this.deps;
    const tree = registry.tree;
    const previous = this.#accounted;
    this.#plantIds = tree.plantsOf(this.tenantId);
    this.#plantSet = tree.plantSetOf(this.tenantId);
    this.#accounted = new Map();
    for (const key in this.#counts) this.#counts[key as keyof StatusCounts] = 0;
    this.#power = this.#today = this.#total = 0;
    this.#dates.clear();
    this.#pending.clear();
    for (const id of this.#plantIds) {
      const summary = summaries.get(id, now);
      this.#accounted.set(id, summary);
      this.#add(summary);
      const old = previous.get(id);
      if (!first && (!old || !samePoint(old.point, summary.point))) (delta.plants ??= []).push(summary.point);
    }
    const alarms = live.alarms.latest(this.#plantSet, ALARMS_IN_SNAPSHOT).map((a) => this.#alarmEvent(a));
    const known = new Set(this.#alarms.map(alarmKey));
    const raised = alarms.filter((a) => !known.has(alarmKey(a)));
    if (!first && raised.length > 0) delta.alarms = raised;
    this.#alarms = alarms;
    this.#alarmSeq = live.alarms.lastSeq;
    this.#seriesStale = true;
    this.#stale = false;
    for (const id of previous.keys()) if (!this.#accounted.has(id)) return true;
    return false;
  }

  #followAlarms(delta: Delta): void {
    const log = this.deps.live.alarms;
    if (log.lastSeq === this.#alarmSeq) return;
    const raised = log.since(this.#alarmSeq, this.#plantSet, ALARMS_IN_SNAPSHOT).map((a) => this.#alarmEvent(a));
    this.#alarmSeq = log.lastSeq;
    if (raised.length === 0) return;
    delta.alarms = raised;
    this.#alarms = [...raised, ...this.#alarms].slice(0, ALARMS_IN_SNAPSHOT);
  }

  #alarmEvent(a: AlarmEntry): AlarmEvent {
    return {
      at: new Date(a.at).toISOString(),
      sn: a.sn,
      plant_id: a.plant_id,
      plant_name: this.deps.registry.tree.plants.get(a.plant_id)?.name ?? a.plant_id,
      kind: a.kind,
      fault_code: a.fault_code
    };
  }

  #add(s: PlantSummary): void {
    this.#count(s, 1);
  }

  #take(s: PlantSummary): void {
    this.#count(s, -1);
  }

  #count(s: PlantSummary, sign: 1 | -1): void {
    const c = this.#counts;
    c.all += sign * s.devices;
    c.normal += sign * s.counts.normal;
    c.standby += sign * s.counts.standby;
    c.protect += sign * s.counts.protect;
    c.fault += sign * s.counts.fault;
    c.offline += sign * s.counts.offline;
    this.#power += sign * Math.round(s.power * W);
    this.#today += sign * Math.round(s.today * KWH);
    this.#total += sign * Math.round(s.total * KWH);
    const n = (this.#dates.get(s.date) ?? 0) + sign;
    if (n === 0) this.#dates.delete(s.date);
    else this.#dates.set(s.date, n);
  }

  /** The latest current plant-local date in the subtree, the tenant's own date when it has no plants. */
  #endDate(now: number): string {
    let latest = '';
    for (const date of this.#dates.keys()) if (date > latest) latest = date;
    return latest || localDate(now, this.#timezone);
  }

  #makeHeader(): TenantHeader {
    const { registry, branding } = this.deps;
    const tree = registry.tree;
    const tenant = tree.tenants.get(this.tenantId)!;
    this.#timezone = tree.timezoneOf(this.tenantId);
    this.#brand = branding?.resolve(this.tenantId, tree).effective;
    const brand = this.#brand;
    return {
      id: tenant.id,
      name: tenant.name,
      title: brand?.title ?? tenant.name,
      logo_url: brand?.logo_url ?? null,
      timezone: this.#timezone,
      accent_color: brand?.accent_color ?? null,
      theme: brand?.theme ?? 'control-room',
      language: brand?.language ?? 'en'
    };
  }

  #makeKpi(endDate: string): Kpi {
    const series = this.#series!;
    const total = this.#total / KWH;
    const co2 = total * (this.#brand?.co2_factor ?? DEFAULT_CO2_KG_PER_KWH);
    return {
      power_w: round(this.#power / W, 1),
      today_kwh: round(this.#today / KWH),
      month_kwh: series.months.find((m) => m.month === endDate.slice(0, 7))!.kwh,
      year_kwh: series.years[series.years.length - 1].kwh,
      total_kwh: round(total),
      co2_avoided_kg: round(co2),
      trees_planted: Math.round(co2 / (this.#brand?.tree_co2_kg ?? DEFAULT_TREE_CO2_KG)),
      coal_saved_kg: round(total * (this.#brand?.coal_kg_per_kwh ?? DEFAULT_COAL_KG_PER_KWH))
    };
  }
}

/** Every open room of one live state, kept current together: a changed plant is worked out once. */
export class LiveRooms {
  readonly #rooms = new Map<string, RoomView>();
  readonly #deps: RoomDeps;

  constructor(registry: Registry, live: LiveState, branding?: Branding) {
    this.#deps = { registry, live, branding, ...liveCaches(registry, live) };
    const { summaries } = this.#deps;
    const tree = registry.tree;
    summaries.onChange((plantId) => {
      for (const tenantId of tree.chainOf(plantId)) this.#rooms.get(tenantId)?.plantChanged(plantId);
    });
    summaries.onReset(() => {
      for (const room of this.#rooms.values()) room.registryChanged();
    });
    live.onApplied((_, plants) => {
      if (this.#rooms.size === 0) return;
      for (const p of plants.touched) for (const tenantId of tree.chainOf(live.plants.ids[p])) this.#rooms.get(tenantId)?.seriesChanged();
    });
    branding?.onChange(() => {
      for (const room of this.#rooms.values()) room.brandingChanged();
    });
  }

  /** Brings a room to `now`: its delta, null for nothing new, or 'resync'. */
  update(tenantId: string, now: number): Delta | null | 'resync' {
    this.#deps.summaries.advance(now);
    return this.room(tenantId, now).update(now);
  }

  /**
   * Brings a room to `now` when its figures may have changed since its last update (see
   * behindAt) or that update is `maxAgeMs` old; undefined when it was left as it was, else what
   * update says.
   */
  refresh(tenantId: string, now: number, maxAgeMs: number): Delta | null | 'resync' | undefined {
    this.#deps.summaries.advance(now);
    const room = this.room(tenantId, now);
    if (!room.behindAt(now) && now - room.updatedAt < maxAgeMs) return undefined;
    return room.update(now);
  }

  /** A room's snapshot as its members have it (a new room is built at `now`). */
  snapshot(tenantId: string, now: number): Snapshot {
    return this.room(tenantId, now).snapshot();
  }

  drop(tenantId: string): void {
    this.#rooms.delete(tenantId);
  }

  /** The tenants that have a room. */
  tenants(): string[] {
    return [...this.#rooms.keys()];
  }

  /** A tenant's room as it stands (a new room is built at `now`). */
  room(tenantId: string, now: number): RoomView {
    let room = this.#rooms.get(tenantId);
    if (!room) {
      room = new RoomView(tenantId, this.#deps);
      this.#deps.summaries.advance(now);
      room.update(now);
      this.#rooms.set(tenantId, room);
    }
    return room;
  }
}

/** A room built from scratch for one look (the admin preview, tests): the same figures a live room holds. */
export function freshSnapshot(registry: Registry, live: LiveState, tenantId: string, now: number, branding?: Branding): Snapshot {
  const room = new RoomView(tenantId, { registry, live, branding, ...liveCaches(registry, live) });
  room.update(now);
  return room.snapshot();
}
