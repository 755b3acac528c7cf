import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
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
 * The deck.gl layers for the plants and their clusters. Ids are stable so deck.gl diffs instead of
 * rebuilding; the data are new arrays whenever the fleet or the view changes, which is what makes
 * deck.gl re-read them.
 */
export function plantLayers(markers: PlantMarkerColumns, clusters: ClusterMarker[], style: PlantLayerStyle) {
  const { scale, outline } = style;
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
    // A ring around plants in fault or protection: visible from across the room even when small.
    new ScatterplotLayer({
      id: 'plant-alerts',
      data: alertRings(alertColumns(markers), 5 * scale),
      filled: false,
      stroked: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getLineWidth: 2 * scale
    }),
    new ScatterplotLayer({
      id: 'plants',
      data: {
        length: markers.length,
        attributes: {
          getPosition: { value: markers.position, size: 2 },
          getRadius: { value: markers.radius, size: 1 },
          getFillColor: { value: markers.color, size: 4, normalized: true }
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
