// The caches that follow one live state: plant summaries and large subtrees' series. Rooms, the
// wall's lists and one-off snapshots share them.
import type { Registry } from '../registry/registry.ts';
import type { LiveState } from './state.ts';
import { PlantSummaries } from './summaries.ts';
import { TenantSeries } from './tenantSeries.ts';

export interface LiveCaches {
  summaries: PlantSummaries;
  series: TenantSeries;
}

const caches = new WeakMap<LiveState, LiveCaches>();

export function liveCaches(registry: Registry, live: LiveState): LiveCaches {
  let found = caches.get(live);
  if (!found) {
    found = { summaries: new PlantSummaries(registry, live), series: new TenantSeries(registry, live) };
    caches.set(live, found);
  }
  return found;
}
