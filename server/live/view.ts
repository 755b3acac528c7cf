// A tenant subtree's snapshot, computed from live state with the semantics of DESIGN.md:
// plant-local days, sums over the subtree, statuses at `now`.
import type { DeviceStatus, PlantStatus, Snapshot } from '../contract.ts';
import type { Branding } from '../branding/branding.ts';
import type { Registry } from '../registry/registry.ts';
import { liveCaches } from './caches.ts';
import { freshSnapshot } from './rooms.ts';
import type { LiveState } from './state.ts';
import { type PlantSummaries, plantStatusOf } from './summaries.ts';

/** A plant's status from its devices' (the rule itself is plantStatusOf's). */
export function plantStatus(deviceStatuses: DeviceStatus[]): PlantStatus {
  const counts: Record<DeviceStatus, number> = { normal: 0, standby: 0, protect: 0, fault: 0, offline: 0 };
  for (const status of deviceStatuses) counts[status]++;
  return plantStatusOf(counts, deviceStatuses.length);
}

/** The plant summaries that follow a live state: the wall's snapshots and its lists share them. */
export function plantSummaries(registry: Registry, live: LiveState): PlantSummaries {
  return liveCaches(registry, live).summaries;
}

/** The snapshot of a subtree, summed from scratch (rooms keep the same figures current). */
export function buildSnapshot(registry: Registry, live: LiveState, tenantId: string, now: number, branding?: Branding): Snapshot {
  return freshSnapshot(registry, live, tenantId, now, branding);
}
