import type { RegionStats } from '$contract';
import { fetchRegionStats, regionUrl, sameBounds, type RegionBounds } from './region.ts';

export interface RegionFeedOptions {
  screenId: string;
  /** Sent as a Bearer token when given; otherwise the screen's cookie does (same origin). */
  token?: string | null;
  /** Quiet time after the map stops before asking: a fly-through lands, then one request. */
  debounceMs?: number;
  /** While the view stays, ask again this often: today's yield and power move on. */
  refreshMs?: number;
  fetch?: typeof fetch;
}

/** The statistics of the region the map shows, asked for once the view has settled. */
export class RegionStatsFeed {
  #stats = $state.raw<RegionStats | null>(null);
  #options: Required<Omit<RegionFeedOptions, 'token'>> & { token: string | null };
  #bounds: RegionBounds | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #request: AbortController | null = null;

  constructor(options: RegionFeedOptions) {
    this.#options = {
      screenId: options.screenId,
      token: options.token ?? null,
      debounceMs: options.debounceMs ?? 500,
      refreshMs: options.refreshMs ?? 60_000,
      fetch: options.fetch ?? ((...args) => fetch(...args))
    };
  }

  /** The figures of the region last asked for; null before they arrive, when zoomed out or when the server has none. */
  get stats(): RegionStats | null {
    return this.#stats;
  }

  /** The view has settled on `bounds` (null: zoomed out too far for a region). */
  show(bounds: RegionBounds | null): void {
    if (bounds === null) {
      this.#cancel();
      this.#bounds = null;
      this.#stats = null;
      return;
    }
    if (sameBounds(bounds, this.#bounds)) return;
    this.#bounds = bounds;
    this.#schedule(this.#options.debounceMs);
  }

  destroy(): void {
    this.#cancel();
    this.#bounds = null;
  }

  #schedule(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#load(), ms);
  }

  #cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#request?.abort();
    this.#request = null;
  }

  async #load(): Promise<void> {
    const bounds = this.#bounds;
    if (!bounds) return;
    this.#request?.abort();
    const request = new AbortController();
    this.#request = request;
    const { screenId, token, fetch } = this.#options;
    const stats = await fetchRegionStats(regionUrl(screenId, bounds), token, request.signal, fetch);
    // A newer view (or zooming out) has taken over while this one was on its way.
    if (request.signal.aborted || !sameBounds(bounds, this.#bounds)) return;
    this.#request = null;
    this.#stats = stats;
    this.#schedule(this.#options.refreshMs);
  }
}
