import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { LABEL_GAP_EM, type CityLabel, type LabelSide } from './cities.ts';
import type { Rgba } from './plant-markers.ts';

export interface CityLayerStyle {
  /** Root font size / 16. */
  scale: number;
  /** Name size in CSS px. */
  fontPx: number;
  fontFamily: string;
  text: Rgba;
  /** The halo around each letter: the map's darkest colour, so names read over land, sea and markers. */
  halo: Rgba;
}

const ANCHOR: Record<LabelSide, 'middle' | 'start' | 'end'> = { above: 'middle', below: 'middle', right: 'start', left: 'end' };
const BASELINE: Record<LabelSide, 'bottom' | 'top' | 'center'> = { above: 'bottom', below: 'top', right: 'center', left: 'center' };
const OFFSET: Record<LabelSide, [number, number]> = { above: [0, -1], below: [0, 1], right: [1, 0], left: [-1, 0] };

/** City dots and names: drawn under the plants (the plants are what the wall is about). */
export function cityLayers(cities: CityLabel[], style: CityLayerStyle) {
  const gap = style.fontPx * LABEL_GAP_EM;
  return [
    new ScatterplotLayer<CityLabel>({
      id: 'city-dots',
      data: cities,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      stroked: true,
      getPosition: (c) => c.position,
      getRadius: 2.5 * style.scale,
      getFillColor: style.text,
      getLineColor: style.halo,
      getLineWidth: 1 * style.scale
    }),
    new TextLayer<CityLabel>({
      id: 'city-names',
      data: cities,
      getPosition: (c) => c.position,
      getText: (c) => c.name,
      getSize: style.fontPx,
      sizeUnits: 'pixels',
      getColor: style.text,
      fontFamily: style.fontFamily,
      fontWeight: 600,
      characterSet: 'auto',
      // A signed-distance font is what makes the halo possible; a larger atlas keeps big text crisp.
      fontSettings: { sdf: true, fontSize: 64, buffer: 8 },
      outlineWidth: 0.3,
      outlineColor: style.halo,
      // Each name on the side of its dot placeCityLabels found free.
      getTextAnchor: (c) => ANCHOR[c.side],
      getAlignmentBaseline: (c) => BASELINE[c.side],
      getPixelOffset: (c) => [OFFSET[c.side][0] * gap, OFFSET[c.side][1] * gap]
    })
  ];
}
