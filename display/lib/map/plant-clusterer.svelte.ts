import type { PlantTable } from '$lib/socket/plant-table.ts';
import type { ClusterRequest, ClusterResponse, FleetFigures } from './cluster-protocol.ts';
import { sameView, type BBox, type ClusterOptions, type ClusterView } from './plant-clusters.ts';

export type UpdateKind = 'rebuilt' | 'patched' | 'unchanged';

/** Clusters and single plants of the view last shown, for the fleet of one load (`generation`). */
export type ShownClusters = ClusterView & { generation: number };

/**
 * The map's side of the clustering worker. It sends the fleet once per load (positions decide
 * the clusters) and afterwards only the rows a delta changed, asks for the clusters of the view,
 * and keeps the latest answer for the current fleet as reactive state.
 */
export class PlantClusterer {
  readonly #worker: Worker;
  readonly #options: ClusterOptions;
  #table: PlantTable | null = null;
  #generation = $state(0);
  #seq = 0;
  #query: { bbox: BBox; zoom: number } | null = null;
  #figures = $state.raw<FleetFigures>({ largestKw: 0, fleetKw: 0, placed: 0 });
  #view = $state.raw<ShownClusters | null>(null);

  constructor(options: ClusterOptions) {
    this.#options = options;
    this.#worker = new Worker(new URL('./cluster-worker.ts', import.meta.url), { type: 'module' });
    this.#worker.onmessage = (event: MessageEvent<ClusterResponse>) => this.#heard(event.data);
  }

  /** Which fleet load the view and figures belong to. */
  get generation(): number {
    return this.#generation;
  }
  get figures(): FleetFigures {
    return this.#figures;
  }
  get view(): ShownClusters | null {
    return this.#view;
  }

  /** Takes the fleet as it is now: a table carrying a delta's changes patches, any other reloads. */
  take(table: PlantTable): UpdateKind {
    const previous = this.#table;
    if (table === previous) return 'unchanged';
    this.#table = table;
    const changes = table.changes;
    if (previous && changes?.previous === previous) {
      const { rows } = changes;
      const status = new Uint8Array(rows.length);
      const capacity = new Float32Array(rows.length);
      for (let k = 0; k < rows.length; k++) {
        status[k] = table.status[rows[k]];
        capacity[k] = table.capacity_kw[rows[k]];
      }
      this.#post({ kind: 'patch', generation: this.#generation, rows: rows.slice(), status, capacity_kw: capacity });
      return 'patched';
    }
    this.#generation++;
    // Copies, handed over without a second copy: the table keeps its own columns.
    this.#post({
      kind: 'load',
      generation: this.#generation,
      options: this.#options,
      length: table.length,
      lon: table.lon.slice(),
      lat: table.lat.slice(),
      status: table.status.slice(),
      capacity_kw: table.capacity_kw.slice()
    });
    return 'rebuilt';
  }

  /** Asks for the clusters of a view (a box wider than the screen, at a whole zoom level). */
  show(bbox: BBox, zoom: number): void {
    this.#query = { bbox, zoom };
    this.#ask();
  }

  destroy(): void {
    this.#worker.terminate();
  }

  #ask(): void {
    if (!this.#query || !this.#table) return;
    this.#worker.postMessage({ kind: 'query', generation: this.#generation, seq: ++this.#seq, ...this.#query } satisfies ClusterRequest);
  }

  #post(message: ClusterRequest): void {
    const transfer =
      message.kind === 'load'
        ? [message.lon.buffer, message.lat.buffer, message.status.buffer, message.capacity_kw.buffer]
        : message.kind === 'patch'
          ? [message.rows.buffer, message.status.buffer, message.capacity_kw.buffer]
          : [];
    this.#worker.postMessage(message, transfer);
  }

  #heard(message: ClusterResponse): void {
    if (message.generation !== this.#generation) return;
    if (message.kind === 'indexed') {
      const f = message.figures;
      const was = this.#figures;
      if (f.largestKw !== was.largestKw || f.fleetKw !== was.fleetKw || f.placed !== was.placed) this.#figures = f;
      // Statuses (and after a load, everything) changed: the view's clusters again.
      this.#ask();
    } else if (message.seq === this.#seq) {
      // A delta asks again for the view; when its clusters came out the same (nothing in view
      // changed status), keep the shown object, so the map does not rebuild its layers for nothing.
      if (this.#view && this.#view.generation === message.generation && sameView(this.#view, message.view)) return;
      this.#view = { ...message.view, generation: message.generation };
    }
  }
}

