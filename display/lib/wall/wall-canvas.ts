// What the wall is laid out on: the browser's viewport, or on a tiled video wall the whole
// virtual canvas. Components that size things in pixels themselves (the map's markers, a
// WebGL canvas' pixel ratio) read it instead of the window.
import { getContext, setContext } from 'svelte';

export interface WallCanvas {
  readonly width: number;
  readonly height: number;
  /** Part of a video wall (`?wall=…&tile=…`). */
  readonly tiled: boolean;
  /** The device pixel ratio a WebGL canvas on this wall should use (capped for big canvases). */
  readonly pixelRatio: number;
}

const KEY = Symbol('wall-canvas');

export function setWallCanvas(canvas: WallCanvas): void {
  setContext(KEY, canvas);
}

/** The canvas of the enclosing WallFrame, or undefined outside one (the admin preview). */
export function wallCanvas(): WallCanvas | undefined {
  return getContext<WallCanvas | undefined>(KEY);
}
