import type { RegionStats } from '$contract';

/** From this zoom in, the map is showing a region (a country or less) and gets its panel. */
export const REGION_MIN_ZOOM = 4;

/** The visible region as the API takes it: degrees, west/east in [-180, 180] (west > east crosses 180°). */
export interface RegionBounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** A view's bounds in API form: longitudes wrapped (world copies), latitudes clamped, ~1 m precision. */
export function regionBounds(west: number, south: number, east: number, north: number): RegionBounds {
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  const wrap = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180;
  if (east - west >= 360) return { west: -180, south: round(Math.max(-90, south)), east: 180, north: round(Math.min(90, north)) };
  const e = wrap(east);
  return {
    west: round(wrap(west)),
    south: round(Math.max(-90, south)),
    // wrap() takes 180° to -180°: a view ending on the antimeridian ends at 180.
    east: round(e === -180 ? 180 : e),
    north: round(Math.min(90, north))
  };
}

export function regionUrl(screenId: string, b: RegionBounds): string {
  const q = new URLSearchParams({ west: String(b.west), south: String(b.south), east: String(b.east), north: String(b.north) });
  return `/api/v1/screens/${encodeURIComponent(screenId)}/region?${q}`;
}

export function sameBounds(a: RegionBounds | null, b: RegionBounds | null): boolean {
  return !!a && !!b && a.west === b.west && a.south === b.south && a.east === b.east && a.north === b.north;
}

/** A response we can draw from; anything else (an old server, an error page) reads as no data. */
export function isRegionStats(value: unknown): value is RegionStats {
  const v = value as Partial<RegionStats> | null;
  return (
    !!v &&
    typeof v.plants === 'number' &&
    typeof v.power_w === 'number' &&
    typeof v.today_kwh === 'number' &&
    Array.isArray(v.days) &&
    Array.isArray(v.years)
  );
}

/**
 * The region's statistics, or null when the server has none to give (404 before the endpoint
 * exists, 5xx, a bad body). A wall shows no error dialog: the panel just stays away.
 */
export async function fetchRegionStats(
  url: string,
  token: string | null | undefined,
  signal: AbortSignal,
  fetchImpl: typeof fetch = fetch
): Promise<RegionStats | null> {
  try {
    const res = await fetchImpl(url, {
      signal,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      credentials: 'same-origin'
    });
    if (!res.ok) return null;
    const body: unknown = await res.json();
    return isRegionStats(body) ? body : null;
  } catch {
    return null;
  }
}
