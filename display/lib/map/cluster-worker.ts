// The map's clustering, off the page's main thread: a million plants take seconds to cluster,
// and the wall keeps drawing meanwhile. The columns arrive transferred (no copy).
import type { ClusterRequest, ClusterResponse } from './cluster-protocol.ts';
import { PlantClusterIndex } from './plant-clusters.ts';

let index: PlantClusterIndex | null = null;
let generation = -1;

const answer = (message: ClusterResponse) => (self as unknown as Worker).postMessage(message);
const figures = (ix: PlantClusterIndex) => ({ largestKw: ix.largestKw, fleetKw: ix.fleetKw, placed: ix.placed });

self.onmessage = (event: MessageEvent<ClusterRequest>) => {
  const message = event.data;
  if (message.kind === 'load') {
    index = new PlantClusterIndex(message.options);
    index.load(message);
    generation = message.generation;
    answer({ kind: 'indexed', generation, figures: figures(index) });
  } else if (message.kind === 'patch') {
    if (!index || message.generation !== generation) return;
    index.patch(message.rows, message.status, message.capacity_kw);
    answer({ kind: 'indexed', generation, figures: figures(index) });
  } else if (index && message.generation === generation) {
    answer({ kind: 'view', generation, seq: message.seq, view: index.query(message.bbox, message.zoom) });
  }
};
