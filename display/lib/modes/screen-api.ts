// The screen's REST reads (lists, plant detail, top plants). Same origin, so a screen paired by
// cookie needs nothing; a screen opened with `#token=` sends it as a bearer token.
import type { CustomerRow, DeviceRow, Page, PlantDetail, PlantRow } from '$contract';

export type ListName = 'plants' | 'devices' | 'customers';
export interface ListRows {
  plants: PlantRow;
  devices: DeviceRow;
  customers: CustomerRow;
}
export type Order = 'asc' | 'desc';

export class ScreenApiError extends Error {
  constructor(
    readonly status: number,
    path: string
  ) {
    super(`${path}: HTTP ${status}`);
  }
}

export interface ScreenApi {
  list<N extends ListName>(name: N, query: { sort: string; order: Order; offset: number; limit: number }): Promise<Page<ListRows[N]>>;
  plant(plantId: string): Promise<PlantDetail>;
  topPlants(by: 'largest_yield' | 'newest_faults', limit?: number): Promise<{ plants: PlantRow[] }>;
}

export function createScreenApi(screenId: string, token: string | null, fetcher: typeof fetch = fetch): ScreenApi {
  const base = `/api/v1/screens/${encodeURIComponent(screenId)}`;
  async function get<T>(path: string, params?: Record<string, string | number>): Promise<T> {
    const query = params ? `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}` : '';
    const res = await fetcher(`${base}${path}${query}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      credentials: 'same-origin',
      cache: 'no-store'
    });
    if (!res.ok) throw new ScreenApiError(res.status, path);
    return (await res.json()) as T;
  }
  return {
    list: (name, query) => get(`/${name}`, query),
    plant: (plantId) => get(`/plants/${encodeURIComponent(plantId)}`),
    topPlants: (by, limit = 10) => get('/top-plants', { by, limit })
  };
}

/** Sort columns the server accepts per list (an allow-list there; this one keeps a typo in the URL from a 400). */
export const SORT_COLUMNS: Record<ListName, readonly string[]> = {
  plants: ['name', 'owner', 'built_on', 'devices', 'status', 'power_w', 'today_kwh', 'total_kwh'],
  devices: ['status', 'sn', 'datalogger_sn', 'kind', 'power_w', 'rated_power_w', 'today_kwh', 'month_kwh', 'total_kwh', 'last_update'],
  customers: ['name', 'plants', 'devices', 'today_kwh']
};

// Words read A to Z; figures and dates read largest or latest first.
const ASCENDING_BY_DEFAULT = new Set(['name', 'owner', 'sn', 'datalogger_sn', 'kind', 'status']);

/** The sort in force: the URL's (?sort=&order=) when the list accepts it, else today's yield, largest first. */
export function resolveSort(
  list: ListName,
  sort: string | null | undefined,
  order: string | null | undefined
): { sort: string; order: Order } {
  const column = sort && SORT_COLUMNS[list].includes(sort) ? sort : 'today_kwh';
  const dir: Order = order === 'asc' || order === 'desc' ? order : ASCENDING_BY_DEFAULT.has(column) ? 'asc' : 'desc';
  return { sort: column, order: dir };
}
