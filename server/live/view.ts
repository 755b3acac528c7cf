// A tenant subtree's snapshot, computed from live state with the semantics of DESIGN.md:
// plant-local days, sums over the subtree, statuses at `now`.
import type { AlarmEvent, DeviceStatus, Kpi, PlantPoint, PlantStatus, Series, Snapshot, StatusCounts } from '../contract.ts';
import { DEFAULT_CO2_KG_PER_KWH, DEFAULT_COAL_KG_PER_KWH, DEFAULT_TREE_CO2_KG, type Branding } from '../branding/branding.ts';
import type { Registry } from '../registry/registry.ts';
import { addDays, localDate, localDay } from '../time/zones.ts';
import { BUCKET_MS, type LiveState, type PlantLive } from './state.ts';
import { PlantSummaries, plantStatusOf } from './summaries.ts';
import { TenantSeries } from './tenantSeries.ts';
import { round } from './round.ts';

const ALARMS_IN_SNAPSHOT = 50;

/** A plant's status from its devices' (the rule itself is plantStatusOf's). */
export function plantStatus(deviceStatuses: DeviceStatus[]): PlantStatus {
  const counts: Record<DeviceStatus, number> = { normal: 0, standby: 0, protect: 0, fault: 0, offline: 0 };
  for (const status of deviceStatuses) counts[status]++;
  return plantStatusOf(counts, deviceStatuses.length);
}

const caches = new WeakMap<LiveState, { summaries: PlantSummaries; series: TenantSeries }>();

/** The caches that follow one live state: plant summaries and large subtrees' series. */
/** The plant summaries that follow a live state: the wall's snapshots and its lists share them. */
export function plantSummaries(registry: Registry, live: LiveState): PlantSummaries {
  return cachesOf(registry, live).summaries;
}

function cachesOf(registry: Registry, live: LiveState) {
  let found = caches.get(live);
  if (!found) {
    found = { summaries: new PlantSummaries(registry, live), series: new TenantSeries(registry, live) };
    caches.set(live, found);
  }
  return found;
}

export function buildSnapshot(registry: Registry, live: LiveState, tenantId: string, now: number, branding?: Branding): Snapshot {
  const tree = registry.tree;
  const tenant = tree.tenants.get(tenantId)!;
  const timezone = tree.timezoneOf(tenantId);
  const { summaries, series: tenantSeries } = cachesOf(registry, live);
  const status: StatusCounts = { all: 0, normal: 0, standby: 0, protect: 0, fault: 0, offline: 0 };
  const plants: PlantPoint[] = [];
  let power = 0;
  let today = 0;
  let total = 0;
  let endDate = localDate(now, timezone);
  let latestPlantDate = '';
  const plantIds = tree.plantsOf(tenantId);

  for (const plantId of plantIds) {
    const summary = summaries.get(plantId, now);
    if (summary.date > latestPlantDate) latestPlantDate = summary.date;
    status.all += summary.devices;
    status.normal += summary.counts.normal;
    status.standby += summary.counts.standby;
    status.protect += summary.counts.protect;
    status.fault += summary.counts.fault;
    status.offline += summary.counts.offline;
    power += summary.power;
    today += summary.today;
    total += summary.total;
    plants.push(summary.point);
  }
  if (latestPlantDate) endDate = latestPlantDate;
  const series = buildSeries(tenantSeries.sources(tenantId, now), endDate, timezone, now, power);
  const month = series.months.find((m) => m.month === endDate.slice(0, 7))!.kwh;
  const year = series.years[series.years.length - 1].kwh;
  const brand = branding?.resolve(tenantId, tree).effective;
  const kpi: Kpi = {
    power_w: round(power, 1),
    today_kwh: round(today),
    month_kwh: month,
    year_kwh: year,
    total_kwh: round(total),
    co2_avoided_kg: round(total * (brand?.co2_factor ?? DEFAULT_CO2_KG_PER_KWH)),
    trees_planted: Math.round((total * (brand?.co2_factor ?? DEFAULT_CO2_KG_PER_KWH)) / (brand?.tree_co2_kg ?? DEFAULT_TREE_CO2_KG)),
    coal_saved_kg: round(total * (brand?.coal_kg_per_kwh ?? DEFAULT_COAL_KG_PER_KWH))
  };
  const plantSet = tree.plantSetOf(tenantId);
  const alarms: AlarmEvent[] = live.alarms.latest(plantSet, ALARMS_IN_SNAPSHOT).map((a) => ({
    at: new Date(a.at).toISOString(),
    sn: a.sn,
    plant_id: a.plant_id,
    plant_name: tree.plants.get(a.plant_id)?.name ?? a.plant_id,
    kind: a.kind,
    fault_code: a.fault_code
  }));
  return {
    as_of: new Date(now).toISOString(),
    tenant: {
      id: tenant.id,
      name: tenant.name,
      title: brand?.title ?? tenant.name,
      logo_url: brand?.logo_url ?? null,
      timezone,
      accent_color: brand?.accent_color ?? null,
      theme: brand?.theme ?? 'control-room',
      language: brand?.language ?? 'en'
    },
    status,
    kpi,
    plants,
    series,
    alarms
  };
}

// Date labels and bucket instants repeat every second for every room: made once, kept a while.
const dayLists = new Map<string, string[]>();
function thirtyDays(endDate: string): string[] {
  let days = dayLists.get(endDate);
  if (!days) {
    if (dayLists.size > 64) dayLists.clear();
    days = Array.from({ length: 30 }, (_, i) => addDays(endDate, i - 29));
    dayLists.set(endDate, days);
  }
  return days;
}
const bucketLabels = new Map<number, string>();
function bucketLabel(t: number): string {
  let label = bucketLabels.get(t);
  if (!label) {
    if (bucketLabels.size > 2000) bucketLabels.clear();
    label = new Date(t).toISOString();
    bucketLabels.set(t, label);
  }
  return label;
}

function buildSeries(plants: Pick<PlantLive, 'daily' | 'monthly' | 'yearly' | 'buckets'>[], endDate: string, timezone: string, now: number, powerNow: number): Series {
  const sum = <K>(pick: (p: (typeof plants)[number]) => Map<K, number>, key: K) => {
    let s = 0;
    for (const p of plants) s += pick(p).get(key) ?? 0;
    return round(s);
  };
  const days = thirtyDays(endDate).map((date) => ({ date, kwh: sum((p) => p.daily, date) }));
  const year = Number(endDate.slice(0, 4));
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`).map((month) => ({
    month,
    kwh: sum((p) => p.monthly, month)
  }));
  const years = Array.from({ length: 5 }, (_, i) => year - 4 + i).map((y) => ({ year: y, kwh: sum((p) => p.yearly, y) }));
  const dayStart = localDay(now, timezone).start;
  const today: Series['today'] = [];
  for (let t = Math.floor(dayStart / BUCKET_MS) * BUCKET_MS; t <= now; t += BUCKET_MS) {
    today.push({ t: bucketLabel(t), power_w: round(sum((p) => p.buckets, t / BUCKET_MS), 1) });
  }
  // The bucket under way holds only the devices that have reported in it so far; the curve ends
  // at the fleet's power now instead of dipping.
  if (today.length > 0) today[today.length - 1].power_w = round(powerNow, 1);
  return { today, days, months, years };
}
