export interface DisplayConfig {
  /** A MapLibre style URL, or null for the built-in offline basemap. */
  map_style: string | null;
}

/** The server's display settings; any failure means the offline basemap, which always works. */
export async function loadDisplayConfig(fetcher: typeof fetch = fetch): Promise<DisplayConfig> {
  try {
    const res = await fetcher('/api/v1/display/config');
    if (!res.ok) return { map_style: null };
    const body: unknown = await res.json();
    const style = (body as Partial<DisplayConfig> | null)?.map_style;
    return { map_style: typeof style === 'string' && style.length > 0 ? style : null };
  } catch {
    return { map_style: null };
  }
}
