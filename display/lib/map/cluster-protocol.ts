import type { BBox, ClusterOptions, ClusterView } from './plant-clusters.ts';

// Messages between the map and its clustering worker (cluster-worker.ts). The worker answers in
// the order it was asked; `generation` counts loads, so an answer about an older fleet is known.

export type ClusterRequest =
  | {
      kind: 'load';
      generation: number;
      options: ClusterOptions;
      length: number;
      lon: Float64Array;
      lat: Float64Array;
      status: Uint8Array;
      capacity_kw: Float32Array;
    }
  | { kind: 'patch'; generation: number; rows: Uint32Array; status: Uint8Array; capacity_kw: Float32Array }
  | { kind: 'query'; generation: number; seq: number; bbox: BBox; zoom: number };

export interface FleetFigures {
  largestKw: number;
  fleetKw: number;
  placed: number;
}

export type ClusterResponse =
  | { kind: 'indexed'; generation: number; figures: FleetFigures }
  | { kind: 'view'; generation: number; seq: number; view: ClusterView };
