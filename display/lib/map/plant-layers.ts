import { ScatterplotLayer } from '@deck.gl/layers';
import type { Rgba, PlantMarker } from './plant-markers.ts';
import { alertHalos } from './plant-markers.ts';

/**
 * The deck.gl layers for the plants. Ids are stable so deck.gl diffs instead of rebuilding;
 * `markers` is a new array whenever plants change, which is what makes deck.gl re-read it.
 */
export function plantLayers(markers: PlantMarker[], scale: number, outline: Rgba) {
  return [
    // A ring around plants in fault or protection: visible from across the room even when small.
    new ScatterplotLayer<PlantMarker>({
      id: 'plant-alerts',
      data: alertHalos(markers),
      filled: false,
      stroked: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (m) => m.position,
      getRadius: (m) => m.radius + 5 * scale,
      getLineColor: (m) => [m.color[0], m.color[1], m.color[2], 150],
      getLineWidth: 2 * scale
    }),
    new ScatterplotLayer<PlantMarker>({
      id: 'plants',
      data: markers,
      filled: true,
      stroked: true,
      opacity: 0.92,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (m) => m.position,
      getRadius: (m) => m.radius,
      getFillColor: (m) => m.color,
      getLineColor: outline,
      getLineWidth: 1 * scale
    })
  ];
}
