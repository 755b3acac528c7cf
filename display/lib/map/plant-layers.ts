import { ScatterplotLayer, TextLayer, type ScatterplotLayerProps } from '@deck.gl/layers';
import type { Rgba, PlantMarkerColumns } from './plant-markers.ts';
import { alertColumns } from './plant-markers.ts';
import type { ClusterMarker } from './cluster-markers.ts';

export interface PlantLayerStyle {
  /** Root font size / 16. */
  scale: number;
  /** Marker outline: the background colour, so touching markers stay apart. */
  outline: Rgba;
  fontFamily: string;
}

/**
 * The plants layer's data: the markers, and which of them a delta changed in place since the
 * data before (null: the markers are new, deck.gl reads them all).
 */
export interface MarkerData {
  length: number;
  markers: PlantMarkerColumns;
  changed: readonly number[] | null;
}

export function markerData(markers: PlantMarkerColumns, changed: readonly number[] | null = null): MarkerData {
  return { length: markers.length, markers, changed };
}

/** What deck.gl was asked to re-read for the plants layer: read by bench/browser.ts and the browser tests. */
export const markerUploads = { full: 0, partial: 0, rows: 0 };

/** Consecutive markers as deck.gl's row ranges. */
function rowRanges(changed: readonly number[]): { startRow: number; endRow: number }[] {
  const ranges: { startRow: number; endRow: number }[] = [];
  for (const j of changed) {
    const last = ranges.at(-1);
    if (last && last.endRow === j) last.endRow = j + 1;
    else ranges.push({ startRow: j, endRow: j + 1 });
  }
  return ranges;
}

/**
 * deck.gl's partial update: a new data object whose markers are the old ones, changed in place,
 * re-reads only the changed rows (accessors run and the GPU buffers are written for those rows
 * alone); new markers are read whole.
 */
function markerDiff(next: MarkerData, previous?: MarkerData): { startRow: number; endRow: number }[] {
  if (previous && next.markers === previous.markers && next.changed) {
    markerUploads.partial++;
    return rowRanges(next.changed);
  }
  markerUploads.full++;
  return [{ startRow: 0, endRow: next.length }];
}

/**
 * The deck.gl layers for the plants and their clusters. Ids are stable so deck.gl diffs instead of
 * rebuilding; the data are new arrays whenever the fleet or the view changes, which is what makes
 * deck.gl re-read them.
 */
export function plantLayers(data: MarkerData, clusters: ClusterMarker[], style: PlantLayerStyle) {
  const { scale, outline } = style;
  const { markers } = data;
  const alerts = alertColumns(markers);
  const alertClusters = clusters.filter((c) => c.status === 'fault' || c.status === 'protect');
  return [
    // The same ring a single plant in fault gets, so "something is wrong in there" reads alike.
    new ScatterplotLayer<ClusterMarker>({
      id: 'plant-cluster-alerts',
      data: alertClusters,
      filled: false,
      stroked: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (c) => c.position,
      getRadius: (c) => c.radius + 5 * scale,
      getLineColor: (c) => [c.color[0], c.color[1], c.color[2], 150],
      getLineWidth: 2 * scale
    }),
    new ScatterplotLayer<ClusterMarker>({
      id: 'plant-clusters',
      data: clusters,
      filled: true,
      stroked: true,
      opacity: 0.9,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (c) => c.position,
      getRadius: (c) => c.radius,
      getFillColor: (c) => c.color,
      getLineColor: outline,
      getLineWidth: 1.5 * scale
    }),
    new TextLayer<ClusterMarker>({
      id: 'plant-cluster-counts',
      data: clusters,
      getPosition: (c) => c.position,
      getText: (c) => c.label,
      getSize: (c) => c.labelPx,
      sizeUnits: 'pixels',
      getColor: (c) => c.labelColor,
      fontFamily: style.fontFamily,
      fontWeight: 700,
      // Glyphs drawn from the page's own fonts as they are needed: no glyph server, no network.
      characterSet: 'auto',
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center'
    }),
    // Accessors that read the marker columns by row, not binary attributes: deck.gl can re-read
    // a few rows of an accessor, while a binary attribute is always taken whole.
    new ScatterplotLayer({
      id: 'plants',
      data,
      _dataDiff: markerDiff as unknown as ScatterplotLayerProps['_dataDiff'],
      filled: true,
      stroked: true,
      opacity: 0.92,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (_: unknown, { index, target }: { index: number; target: number[] }) => {
        target[0] = markers.position[2 * index];
        target[1] = markers.position[2 * index + 1];
        target[2] = 0;
        return target as unknown as [number, number, number];
      },
      getRadius: (_: unknown, { index }: { index: number }) => markers.radius[index],
      getFillColor: (_: unknown, { index, target }: { index: number; target: number[] }) => {
        markerUploads.rows++;
        for (let c = 0; c < 4; c++) target[c] = markers.color[4 * index + c];
        return target as unknown as Rgba;
      },
      getLineColor: outline,
      getLineWidth: 1 * scale
    }),
    // A ring around plants in fault or protection: visible from across the room even when small.
    new ScatterplotLayer({
      id: 'plant-alerts',
      data: alertRings(alerts, 5 * scale),
      filled: false,
      stroked: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getLineWidth: 2 * scale
    }),
    // The plants in fault or protection drawn again, on top: a marker keeps its place in the
    // plants layer when a delta changes its status, and must not stay hidden under a healthy one.
    new ScatterplotLayer({
      id: 'plant-alert-markers',
      data: {
        length: alerts.length,
        attributes: {
          getPosition: { value: alerts.position, size: 2 },
          getRadius: { value: alerts.radius, size: 1 },
          getFillColor: { value: alerts.color, size: 4, normalized: true }
        }
      },
      filled: true,
      stroked: true,
      opacity: 0.92,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getLineColor: outline,
      getLineWidth: 1 * scale
    })
  ];
}

/** The halo layer's attributes: the marker's colour at 150 alpha, a ring `gapPx` outside it. */
function alertRings(alerts: PlantMarkerColumns, gapPx: number) {
  const radius = alerts.radius.map((r) => r + gapPx);
  const color = alerts.color.slice();
  for (let j = 3; j < color.length; j += 4) color[j] = 150;
  return {
    length: alerts.length,
    attributes: {
      getPosition: { value: alerts.position, size: 2 },
      getRadius: { value: radius, size: 1 },
      getLineColor: { value: color, size: 4, normalized: true }
    }
  };
}
