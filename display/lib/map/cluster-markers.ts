import type { StatusPalette } from '$themes/schema.ts';
import { onColor } from '$themes/schema.ts';
import type { PlantCluster } from './plant-clusters.ts';
import { hexToRgba, type Rgba } from './plant-markers.ts';
import { clusterRadius, countLabel, labelSize, STATUS_CODE, type RadiusRange } from './cluster-style.ts';

/** What a cluster's size shows: how many plants, or how much capacity, it holds. */
export type ClusterSizeBy = 'count' | 'capacity';

export interface ClusterMarker {
  id: number;
  position: [number, number];
  status: PlantCluster['status'];
  color: Rgba;
  /** CSS pixels. */
  radius: number;
  label: string;
  labelColor: Rgba;
  labelPx: number;
}

export interface ClusterLook {
  range: RadiusRange;
  sizeBy: ClusterSizeBy;
  /** The whole fleet's plant count and capacity: what sizes are measured against. */
  fleetCount: number;
  fleetKw: number;
  /** Count label font size, before shrinking to fit. */
  labelPx: number;
  locale: string;
}

/** Layer data for the clusters: worst status as colour, size by count or capacity, count as label. */
export function clusterMarkers(clusters: readonly PlantCluster[], palette: StatusPalette, look: ClusterLook): ClusterMarker[] {
  return clusters
    .map((c) => {
      const hex = palette[c.status] ?? palette.offline;
      const radius =
        look.sizeBy === 'capacity'
          ? clusterRadius(c.capacityKw, look.fleetKw, look.range)
          : clusterRadius(c.count, look.fleetCount, look.range);
      const label = countLabel(c.count, look.locale);
      return {
        id: c.id,
        position: c.position,
        status: c.status,
        color: hexToRgba(hex),
        radius,
        label,
        // Dark text on green or amber, white on a dark grey: whichever reads on the fill.
        labelColor: hexToRgba(onColor(hex)),
        labelPx: labelSize(label, radius, look.labelPx)
      };
    })
    // Worst drawn last (on top), then small over large, so a small red cluster is never hidden.
    .sort((a, b) => STATUS_CODE[a.status] - STATUS_CODE[b.status] || b.radius - a.radius);
}
