import Supercluster from 'supercluster';
import type { ClusterProperties, PointFeature } from 'supercluster';
import { PLANT_STATUSES, type PlantStatus } from '$contract';
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

/** The plants' columns the clusters are made from (a PlantTable has them). */
export interface ClusterInput {
  length: number;
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
  /** Codes of PLANT_STATUSES. */
  status: ArrayLike<number>;
  capacity_kw: ArrayLike<number>;
}

const NOT_PLACED = 255;
// PLANT_STATUSES code -> STATUS_CODE (severity order).
const SEVERITY_OF = Uint8Array.from(PLANT_STATUSES, (s) => STATUS_CODE[s]);
const severityOf = (code: number) => SEVERITY_OF[code] ?? STATUS_CODE.offline;
// Points carry their plant's index as the feature id; no per-point properties at all, which
// keeps a million-plant load from allocating a million property objects.
const NO_PROPERTIES = Object.freeze({});
type PointProps = typeof NO_PROPERTIES;

/** What this module reads of supercluster's own state (see #linkHierarchy). */
interface SuperclusterInternals {
  trees: ({ data: Int32Array; numItems: number } | undefined)[];
  stride: number;
  numPoints: number;
}
const OFFSET_ID = 3;
const OFFSET_PARENT = 4;

/**
 * The fleet clustered for every zoom level, with each cluster's status tally and capacity.
 *
 * Positions decide the clusters, so the (costly) supercluster index is built only on `load`, when
 * a plant is added, removed or moved. A status or capacity change, which is what a live delta
 * brings every few seconds, is patched in place: the plant's old status is taken off and its new
 * one added along its chain of ancestor clusters (one per zoom level at most), so a delta touching
 * ten plants of a million costs a few hundred array writes. Runs in a worker (cluster-worker.ts).
 */
export class PlantClusterIndex {
  readonly #options: ClusterOptions;
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

  /** Clusters the fleet from scratch. */
  load(plants: ClusterInput): void {
    const n = plants.length;
    this.#status = new Uint8Array(n).fill(NOT_PLACED);
    this.#capacity = new Float64Array(n);
    this.#plantParent = new Int32Array(n).fill(-1);
    const points: PointFeature<PointProps>[] = [];
    for (let i = 0; i < n; i++) {
      const c = plants.capacity_kw[i];
      this.#capacity[i] = c > 0 ? c : 0;
      const lat = plants.lat[i];
      const lon = plants.lon[i];
      if (!isPosition(lat, lon)) continue;
      this.#status[i] = severityOf(plants.status[i]);
      points.push({ type: 'Feature', id: i, properties: NO_PROPERTIES, geometry: { type: 'Point', coordinates: [lon, lat] } });
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
    this.#linkHierarchy(index, Uint32Array.from(points, (p) => p.id as number));
    this.#measureCapacity();
  }

  /** A delta's changed plants: `rows[k]` now has status `status[k]` (PLANT_STATUSES code) and capacity `capacity[k]`. */
  patch(rows: ArrayLike<number>, status: ArrayLike<number>, capacity: ArrayLike<number>): void {
    let capacityChanged = false;
    for (let k = 0; k < rows.length; k++) capacityChanged = this.#patch(rows[k], status[k], capacity[k]) || capacityChanged;
    if (capacityChanged) this.#measureCapacity();
  }

  /**
   * Parent links and tallies, from supercluster's own cluster tree: flat Int32 slabs, one per
   * zoom level, each entry [x, y, zoom, id, parent id, count]. One pass over them, where walking
   * the tree with the public getChildren() builds a GeoJSON feature per child (1.4 s for a
   * million plants). The package's version is pinned by the lock file; the browser tests and
   * the unit tests of this class fail if its layout changes.
   */
  #linkHierarchy(index: Supercluster<PointProps, PointProps>, plantOfPoint: Uint32Array): void {
    const { trees, stride, numPoints } = index as unknown as SuperclusterInternals;
    const nodeOf = new Map<number, number>();
    const parentIds: number[] = [];
    let seen: Int32Array | null = null;
    // From the finest level to the coarsest: a cluster is met before the cluster it merges into,
    // so every node's number is below its parent's.
    for (let z = trees.length - 1; z >= 0; z--) {
      const tree = trees[z];
      // Levels where nothing merged share their slab with the level above.
      if (!tree || tree.data === seen) continue;
      const data = (seen = tree.data);
      for (let k = 0, end = tree.numItems * stride; k < end; k += stride) {
        const id = data[k + OFFSET_ID];
        const parent = data[k + OFFSET_PARENT];
        if (id < numPoints) {
          if (parent !== -1) this.#plantParent[plantOfPoint[id]] = parent;
          continue;
        }
        let node = nodeOf.get(id);
        if (node === undefined) {
          nodeOf.set(id, (node = parentIds.length));
          parentIds.push(-1);
        }
        if (parent !== -1) parentIds[node] = parent;
      }
    }
    const m = parentIds.length;
    this.#nodeOf = nodeOf;
    this.#nodeParent = Int32Array.from(parentIds, (id) => (id === -1 ? -1 : (nodeOf.get(id) ?? -1)));
    for (let i = 0; i < this.#plantParent.length; i++) {
      const id = this.#plantParent[i];
      if (id !== -1) this.#plantParent[i] = nodeOf.get(id) ?? -1;
    }
    this.#nodeTally = new Uint32Array(m * STATUS_KINDS);
    this.#nodeCapacity = new Float64Array(m);
    for (let i = 0; i < this.#plantParent.length; i++) {
      const node = this.#plantParent[i];
      if (node < 0) continue;
      this.#nodeTally[node * STATUS_KINDS + this.#status[i]]++;
      this.#nodeCapacity[node] += this.#capacity[i];
    }
    // Children before parents: walking forwards adds every subtree before its parent is read.
    for (let node = 0; node < m; node++) {
      const parent = this.#nodeParent[node];
      if (parent < 0) continue;
      for (let s = 0; s < STATUS_KINDS; s++) this.#nodeTally[parent * STATUS_KINDS + s] += this.#nodeTally[node * STATUS_KINDS + s];
      this.#nodeCapacity[parent] += this.#nodeCapacity[node];
    }
  }

  /** Moves one plant's status and capacity along its ancestors; true when the capacity changed. */
  #patch(i: number, statusCode: number, capacityKw: number): boolean {
    const capacity = capacityKw > 0 ? capacityKw : 0;
    const capacityDelta = capacity - this.#capacity[i];
    this.#capacity[i] = capacity;
    const was = this.#status[i];
    if (was === NOT_PLACED) return capacityDelta !== 0;
    const now = severityOf(statusCode);
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

/** Whether two views of the same fleet draw the same clusters and single plants. */
export function sameView(a: ClusterView, b: ClusterView): boolean {
  if (a.plants.length !== b.plants.length || a.clusters.length !== b.clusters.length) return false;
  for (let k = 0; k < a.plants.length; k++) if (a.plants[k] !== b.plants[k]) return false;
  return a.clusters.every((c, k) => {
    const d = b.clusters[k];
    return c.id === d.id && c.count === d.count && c.status === d.status && c.capacityKw === d.capacityKw && c.position[0] === d.position[0] && c.position[1] === d.position[1];
  });
}
