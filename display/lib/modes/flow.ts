// The power-flow diagram's geometry and meaning, apart from its SVG: which way each flow runs
// (the contract's signs: battery + charging, grid + importing), how thick its line is, what it
// is called. The diagram is a hub (the plant's inverter/bus) with four nodes around it.
import type { PlantDetail } from '$contract';

export type FlowNode = 'pv' | 'battery' | 'grid' | 'home';
/** Toward the hub (the node supplies power), away from it (the node takes power), or nothing flowing. */
export type FlowDirection = 'in' | 'out' | 'idle';
export type FlowState = 'producing' | 'charging' | 'discharging' | 'importing' | 'exporting' | 'consuming' | 'idle';

export interface FlowEdge {
  node: FlowNode;
  /** Magnitude in W, never negative. */
  watts: number;
  direction: FlowDirection;
  state: FlowState;
  /** Line width in viewBox units. */
  width: number;
}

/** Below this a flow is noise (meter drift, standby draw): drawn idle, not moving. */
export const IDLE_BELOW_W = 10;
export const MIN_WIDTH = 2;
export const MAX_WIDTH = 14;

type Flow = NonNullable<PlantDetail['flow']>;

/** What a node's signed reading means, by the contract's sign conventions. */
export function edgeFor(node: FlowNode, signedW: number): Omit<FlowEdge, 'width'> {
  const watts = Math.abs(signedW);
  if (!Number.isFinite(signedW) || watts < IDLE_BELOW_W) return { node, watts: Number.isFinite(watts) ? watts : 0, direction: 'idle', state: 'idle' };
  switch (node) {
    case 'pv':
      // PV only produces; a negative reading is the inverter's own draw at night.
      return signedW > 0 ? { node, watts, direction: 'in', state: 'producing' } : { node, watts: 0, direction: 'idle', state: 'idle' };
    case 'battery':
      return signedW > 0 ? { node, watts, direction: 'out', state: 'charging' } : { node, watts, direction: 'in', state: 'discharging' };
    case 'grid':
      return signedW > 0 ? { node, watts, direction: 'in', state: 'importing' } : { node, watts, direction: 'out', state: 'exporting' };
    case 'home':
      return { node, watts, direction: 'out', state: 'consuming' };
  }
}

/**
 * Line width for `watts` when the largest flow of the diagram is `maxW`: by the square root, so
 * a 300 W load next to a 6 kW array is still a visible line, and the largest flow is MAX_WIDTH.
 */
export function lineWidth(watts: number, maxW: number): number {
  if (!(maxW > 0) || !(watts > 0)) return MIN_WIDTH;
  const share = Math.min(1, Math.sqrt(watts / maxW));
  return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * share;
}

/** The diagram's edges: PV always; battery, grid and home only when the plant reports them. */
export function flowEdges(flow: Flow): FlowEdge[] {
  const readings: [FlowNode, number | null][] = [
    ['pv', flow.pv_w],
    ['battery', flow.battery_w],
    ['grid', flow.grid_w],
    ['home', flow.load_w]
  ];
  const edges = readings.filter((r): r is [FlowNode, number] => r[1] !== null).map(([node, w]) => edgeFor(node, w));
  const maxW = Math.max(0, ...edges.map((e) => (e.direction === 'idle' ? 0 : e.watts)));
  return edges.map((e) => ({ ...e, width: e.direction === 'idle' ? MIN_WIDTH : lineWidth(e.watts, maxW) }));
}

// The layout, in a fixed viewBox the SVG scales: PV on top, grid left, home right, battery below.
// Names sit outside the square the lines run in: above PV, below the other three.
export const VIEW = { width: 640, height: 520 };
export const HUB = { x: 320, y: 250 };
export const NODE_RADIUS = 58;
export const NODE_AT: Record<FlowNode, { x: number; y: number }> = {
  pv: { x: 320, y: 96 },
  grid: { x: 82, y: 250 },
  home: { x: 558, y: 250 },
  battery: { x: 320, y: 404 }
};
/** Where a node's name goes: above PV, below the others, clear of every line. */
export function labelY(node: FlowNode): number {
  return node === 'pv' ? NODE_AT.pv.y - NODE_RADIUS - 16 : NODE_AT[node].y + NODE_RADIUS + 26;
}

/**
 * The path a flow's dashes travel, drawn from where power comes from to where it goes, so one
 * CSS animation (dashes moving along the path) shows the direction for every edge. Idle edges
 * are drawn node -> hub and do not move.
 */
export function edgePath(edge: Pick<FlowEdge, 'node' | 'direction'>): string {
  const node = NODE_AT[edge.node];
  const dx = HUB.x - node.x;
  const dy = HUB.y - node.y;
  const length = Math.hypot(dx, dy);
  // From the node's rim to the hub's rim (hub radius 18), so dashes do not run under the circles.
  const ux = dx / length;
  const uy = dy / length;
  const from = { x: node.x + ux * NODE_RADIUS, y: node.y + uy * NODE_RADIUS };
  const to = { x: HUB.x - ux * 18, y: HUB.y - uy * 18 };
  const [a, b] = edge.direction === 'out' ? [to, from] : [from, to];
  return `M${round(a.x)},${round(a.y)} L${round(b.x)},${round(b.y)}`;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The share of the charging power the plant's PV covers, 0..1, or null while nothing charges. */
export function solarShare(charging: PlantDetail['charging']): number | null {
  if (!charging || !(charging.power_w > 0)) return null;
  return Math.min(1, Math.max(0, charging.solar_w / charging.power_w));
}
