// Which plant the plant mode shows: the screen's own plant, else the fly-through list in turn,
// read off the wall clock like the playlist so a video wall's browsers show the same plant.
import type { ScreenSettings } from '$contract';
import { pageMs } from './paging.ts';

export type FlyThrough = NonNullable<ScreenSettings['fly_through']>;

/** The top-plants list to rotate through: the screen's fly-through, largest yield by default. */
export function rotationSource(settings: Pick<ScreenSettings, 'fly_through'> | null | undefined): FlyThrough {
  return settings?.fly_through ?? 'largest_yield';
}

/** Index into a list of `count` plants at `nowMs`, one plant per page interval. */
export function rotationIndex(nowMs: number, pageSeconds: number | null | undefined, count: number): number {
  if (count <= 0) return 0;
  return Math.floor(nowMs / pageMs(pageSeconds)) % count;
}
