import Supercluster from 'supercluster';
import type { ClusterProperties, PointFeature } from 'supercluster';
import type { PlantPoint, PlantStatus } from '$contract';
import { isPosition } from './plant-markers.ts';
import { STATUS_CODE, STATUS_KINDS, worstStatus } from './cluster-style.ts';

/** [west, south, east, north] in degrees; east may pass 180 (a view across the antimeridian). */
export type BBox = [number, number, number, number];

export interface ClusterOptions {
  /** Plants closer than this many CSS pixels merge into a cluster. */
  radiusPx: number;
  /** Above this zoom every plant is drawn on its own. */
  maxZoom: number;
}

export interface PlantCluster {
  /** Supercluster's id: stable while the fleet's positions do not change. */
  id: number;
  position: [number, number];
  count: number;
  capacityKw: number;
  status: PlantStatus;
}

export interface ClusterView {
  clusters: PlantCluster[];
  /** Indexes into the fleet (`index.plants`) of the plants drawn on their own. */
  plants: number[];
}

export type UpdateKind = 'rebuilt' | 'patched' | 'unchanged';

const NOT_PLACED = 255;
// Points carry their plant's index as the feature id; no per-point properties at all, which
// keeps a million-plant load from allocating a million property objects.
const NO_PROPERTIES = Object.freeze({});
type PointProps = typeof NO_PROPERTIES;

/**
 * The fleet clustered for every zoom level, with each cluster's status tally and capacity.
 *
 * Positions decide the clusters, so the (costly) supercluster index is rebuilt only when a plant
 * is added, removed or moved. A status or capacity change, which is what a live delta brings
 * every few seconds, is patched in place: the plant's old status is taken off and its new one
 * added along its chain of ancestor clusters (one per zoom level at most), so a delta touching
 * ten plants of a million costs a few hundred array writes.
 */
export class PlantClusterIndex {
  readonly #options: ClusterOptions;
  #plants: readonly PlantPoint[] = [];
  #index: Supercluster<PointProps, PointProps> | null = null;
  /** Per plant: STATUS_CODE, or NOT_PLACED for a plant without a usable position. */
  #status = new Uint8Array(0);
  #capacity = new Float64Array(0);
  /** Per plant: the node of its smallest cluster, or -1 when it is never clustered. */
  #plantParent = new Int32Array(0);
  /** Per node (cluster): its parent node, or -1 for a top-level cluster. */
  #nodeParent = new Int32Array(0);
  /** Per node: STATUS_KINDS counts. */
  #nodeTally = new Uint32Array(0);
  #nodeCapacity = new Float64Array(0);
  #nodeOf = new Map<number, number>();
  #largestKw = 0;
  #fleetKw = 0;
  #placed = 0;

  constructor(options: ClusterOptions) {
    this.#options = options;
  }

  get plants(): readonly PlantPoint[] {
    return this.#plants;
  }
  /** The largest single plant's capacity: what individual markers are sized against. */
  get largestKw(): number {
    return this.#largestKw;
  }
  get fleetKw(): number {
    return this.#fleetKw;
  }
  /** Plants with a usable position. */
  get placed(): number {
    return this.#placed;
  }

  /**
   * Takes the fleet as it is now. Deltas keep unchanged plants as the same objects in the same
   * order (apply-delta.ts), so the comparison is by reference and costs one pass of pointer checks.
   */
  update(plants: readonly PlantPoint[]): UpdateKind {
    const previous = this.#plants;
    if (plants === previous) return 'unchanged';
    if (!this.#index || plants.length !== previous.length) return this.#rebuild(plants);
    const changed: number[] = [];
    for (let i = 0; i < plants.length; i++) {
      const now = plants[i];
      const was = previous[i];
      if (now === was) continue;
      if (now.id !== was.id || now.lat !== was.lat || now.lon !== was.lon) return this.#rebuild(plants);
      changed.push(i);
    }
    this.#plants = plants;
    if (changed.length === 0) return 'unchanged';
    let capacityChanged = false;
    for (const i of changed) capacityChanged = this.#patch(i, plants[i]) || capacityChanged;
    if (capacityChanged) this.#measureCapacity();
    return 'patched';
  }

  /** Clusters and single plants inside `bbox` at `zoom` (supercluster floors it). */
  query(bbox: BBox, zoom: number): ClusterView {
    const view: ClusterView = { clusters: [], plants: [] };
    if (!this.#index) return view;
    for (const f of this.#index.getClusters(bbox, zoom)) {
      const props = f.properties as Partial<ClusterProperties>;
      if (props.cluster) {
        const node = this.#nodeOf.get(props.cluster_id!);
        if (node === undefined) continue;
        view.clusters.push({
          id: props.cluster_id!,
          position: f.geometry.coordinates as [number, number],
          count: props.point_count!,
          capacityKw: this.#nodeCapacity[node],
          status: worstStatus(this.#nodeTally, node * STATUS_KINDS)
        });
      } else {
        view.plants.push(f.id as number);
      }
    }
    return view;
  }

  #rebuild(plants: readonly PlantPoint[]): UpdateKind {
    const n = plants.length;
    this.#plants = plants;
    this.#status = new Uint8Array(n).fill(NOT_PLACED);
    this.#capacity = new Float64Array(n);
    this.#plantParent = new Int32Array(n).fill(-1);
    const points: PointFeature<PointProps>[] = [];
    for (let i = 0; i < n; i++) {
      const p = plants[i];
      this.#capacity[i] = p.capacity_kw > 0 ? p.capacity_kw : 0;
      if (!isPosition(p.lat, p.lon)) continue;
      this.#status[i] = STATUS_CODE[p.status] ?? STATUS_CODE.offline;
      points.push({ type: 'Feature', id: i, properties: NO_PROPERTIES, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } });
    }
    this.#placed = points.length;
    const index = new Supercluster<PointProps, PointProps>({
      radius: this.#options.radiusPx,
      maxZoom: this.#options.maxZoom,
      // Tiles of 512 px: MapLibre's zoom levels, so radiusPx is CSS pixels on the wall.
      extent: 512
    });
    index.load(points);
    this.#index = index;
    this.#linkHierarchy(index);
    this.#measureCapacity();
    return 'rebuilt';
  }

  /** Walks the cluster tree once from the top: parent links, then tallies summed bottom-up. */
  #linkHierarchy(index: Supercluster<PointProps, PointProps>): void {
    const nodeOf = new Map<number, number>();
    const clusterIds: number[] = [];
    const parents: number[] = [];
    const visit = (features: ReturnType<typeof index.getChildren>, parent: number) => {
      for (const f of features) {
        const props = f.properties as Partial<ClusterProperties>;
        if (props.cluster) {
          nodeOf.set(props.cluster_id!, clusterIds.length);
          clusterIds.push(props.cluster_id!);
          parents.push(parent);
        } else if (parent >= 0) {
          this.#plantParent[f.id as number] = parent;
        }
      }
    };
    visit(index.getClusters([-180, -90, 180, 90], 0), -1);
    // Breadth-first: the list grows while we walk it, and a child always comes after its parent.
    for (let node = 0; node < clusterIds.length; node++) visit(index.getChildren(clusterIds[node]), node);

    const m = clusterIds.length;
    this.#nodeOf = nodeOf;
    this.#nodeParent = Int32Array.from(parents);
    this.#nodeTally = new Uint32Array(m * STATUS_KINDS);
    this.#nodeCapacity = new Float64Array(m);
    for (let i = 0; i < this.#plants.length; i++) {
      const node = this.#plantParent[i];
      if (node < 0) continue;
      this.#nodeTally[node * STATUS_KINDS + this.#status[i]]++;
      this.#nodeCapacity[node] += this.#capacity[i];
    }
    // Children after parents, so walking backwards adds every subtree before its parent is read.
    for (let node = m - 1; node >= 0; node--) {
      const parent = this.#nodeParent[node];
      if (parent < 0) continue;
      for (let s = 0; s < STATUS_KINDS; s++) this.#nodeTally[parent * STATUS_KINDS + s] += this.#nodeTally[node * STATUS_KINDS + s];
      this.#nodeCapacity[parent] += this.#nodeCapacity[node];
    }
  }

  /** Moves one plant's status and capacity along its ancestors; true when the capacity changed. */
  #patch(i: number, plant: PlantPoint): boolean {
    const capacity = plant.capacity_kw > 0 ? plant.capacity_kw : 0;
    const capacityDelta = capacity - this.#capacity[i];
    this.#capacity[i] = capacity;
    const was = this.#status[i];
    if (was === NOT_PLACED) return capacityDelta !== 0;
    const now = STATUS_CODE[plant.status] ?? STATUS_CODE.offline;
    this.#status[i] = now;
    if (now === was && capacityDelta === 0) return false;
    for (let node = this.#plantParent[i]; node >= 0; node = this.#nodeParent[node]) {
      this.#nodeTally[node * STATUS_KINDS + was]--;
      this.#nodeTally[node * STATUS_KINDS + now]++;
      this.#nodeCapacity[node] += capacityDelta;
    }
    return capacityDelta !== 0;
  }

  #measureCapacity(): void {
    let largest = 0;
    let fleet = 0;
    for (let i = 0; i < this.#capacity.length; i++) {
      if (this.#status[i] === NOT_PLACED) continue;
      const c = this.#capacity[i];
      fleet += c;
      if (c > largest) largest = c;
    }
    this.#largestKw = largest;
    this.#fleetKw = fleet;
  }
}
