// What the wall's modes read besides the snapshot: list pages, one plant, top plants, and a
// map region's statistics. A screen reads its own; admins and keys read the screens they see.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ScreenRecord } from '../auth/credentials.ts';
import type { CustomerRow, DeviceRow, Page, PlantRow } from '../contract.ts';
import { ClientError, notFound } from '../errors.ts';
import { requireAny, requireRoleOver } from '../http/auth.ts';
import { RegionIndex } from '../live/region.ts';
import { Rows } from '../live/rows.ts';

const SORTS = {
  plants: ['name', 'owner', 'built_on', 'devices', 'status', 'power_w', 'today_kwh', 'total_kwh', 'capacity_kw'],
  devices: ['status', 'sn', 'datalogger_sn', 'kind', 'power_w', 'rated_power_w', 'today_kwh', 'month_kwh', 'total_kwh', 'last_update', 'plant_name'],
  customers: ['name', 'plants', 'devices', 'today_kwh']
} as const;
const STATUS_RANK: Record<string, number> = { fault: 0, protect: 1, offline: 2, standby: 3, normal: 4 };

const Digits = Type.String({ pattern: '^\\d{1,7}$' });
const ListQuery = Type.Object(
  { sort: Type.Optional(Type.String({ maxLength: 32 })), order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])), offset: Type.Optional(Digits), limit: Type.Optional(Digits) },
  { additionalProperties: false }
);
type ListQuery = { sort?: string; order?: 'asc' | 'desc'; offset?: string; limit?: string };
const Coordinate = Type.String({ pattern: '^-?\\d{1,3}(\\.\\d+)?$' });
const ScreenParams = Type.Object({ id: Type.String({ maxLength: 128 }) });

/** Sorts and cuts a list; the sort column comes from an allow-list, never from the request as is. */
export function page<Row extends object>(rows: Row[], query: ListQuery, allowed: readonly string[], fallback: string): Page<Row> {
  const sort = query.sort ?? fallback;
  if (!allowed.includes(sort)) throw new ClientError(400, 'sort', `must be one of ${allowed.join(', ')}`);
  const limit = Number(query.limit ?? 50);
  const offset = Number(query.offset ?? 0);
  if (limit < 1 || limit > 500) throw new ClientError(400, 'limit', 'must be between 1 and 500');
  const direction = (query.order ?? (sort === 'name' || sort === 'sn' || sort === 'status' ? 'asc' : 'desc')) === 'asc' ? 1 : -1;
  const key = (row: Row): string | number | null => {
    const value = (row as Record<string, unknown>)[sort];
    if (sort === 'status') return STATUS_RANK[String(value)] ?? 9;
    return typeof value === 'number' || typeof value === 'string' ? value : null;
  };
  const sorted = [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * direction;
  });
  return { total: rows.length, offset, rows: sorted.slice(offset, offset + limit) };
}

export default async function screenDataRoutes(app: FastifyInstance): Promise<void> {
  const rows = new Rows(app.registry, app.live);
  const regions = new RegionIndex(app.registry, app.live);

  function screenFor(request: FastifyRequest, id: string): ScreenRecord {
    const screen = app.credentials.screens.get(id);
    const principal = request.principal!;
    if (!screen || screen.revoked || !app.registry.tree.tenants.has(screen.tenant_id)) throw notFound('id', 'screen', id);
    if (principal.kind === 'screen') {
      if (principal.screenId !== screen.id) throw notFound('id', 'screen', id);
      return screen;
    }
    requireRoleOver(request, screen.tenant_id, 'viewer', () => notFound('id', 'screen', id));
    return screen;
  }

  const list = <Row extends object>(path: string, build: (screen: ScreenRecord, now: number) => Row[], allowed: readonly string[], fallback: string) =>
    app.get<{ Params: { id: string }; Querystring: ListQuery }>(
      `/api/v1/screens/:id/${path}`,
      { schema: { params: ScreenParams, querystring: ListQuery }, preHandler: requireAny },
      async (request) => {
        const screen = screenFor(request, request.params.id);
        return page(build(screen, app.now()), request.query, allowed, fallback);
      }
    );

  list<PlantRow>('plants', (s, now) => rows.plants(s.tenant_id, now, s.settings.mask_personal), SORTS.plants, 'today_kwh');
  list<DeviceRow>('devices', (s, now) => rows.devices(s.tenant_id, now), SORTS.devices, 'status');
  list<CustomerRow>('customers', (s, now) => rows.customers(s.tenant_id, now, s.settings.mask_personal), SORTS.customers, 'today_kwh');

  app.get<{ Params: { id: string; plantId: string } }>(
    '/api/v1/screens/:id/plants/:plantId',
    { schema: { params: Type.Object({ id: Type.String({ maxLength: 128 }), plantId: Type.String({ maxLength: 128 }) }) }, preHandler: requireAny },
    async (request) => {
      const screen = screenFor(request, request.params.id);
      const plant = app.registry.tree.plants.get(request.params.plantId);
      if (!plant || !app.registry.tree.isWithin(screen.tenant_id, plant.tenant_id)) throw notFound('plantId', 'plant', request.params.plantId);
      return rows.plantDetail(plant.id, app.now(), screen.settings.mask_personal);
    }
  );

  app.get<{ Params: { id: string }; Querystring: { by?: 'largest_yield' | 'newest_faults'; limit?: string } }>(
    '/api/v1/screens/:id/top-plants',
    {
      schema: {
        params: ScreenParams,
        querystring: Type.Object({ by: Type.Optional(Type.Union([Type.Literal('largest_yield'), Type.Literal('newest_faults')])), limit: Type.Optional(Digits) }, { additionalProperties: false })
      },
      preHandler: requireAny
    },
    async (request) => {
      const screen = screenFor(request, request.params.id);
      const limit = Math.min(50, Math.max(1, Number(request.query.limit ?? 10)));
      const all = rows.plants(screen.tenant_id, app.now(), screen.settings.mask_personal);
      if (request.query.by === 'newest_faults') {
        const ids: string[] = [];
        for (const alarm of app.live.alarms.latest(new Set(all.map((p) => p.id)), 500)) {
          if (alarm.kind !== 'cleared' && !ids.includes(alarm.plant_id)) ids.push(alarm.plant_id);
          if (ids.length === limit) break;
        }
        return { plants: ids.map((id) => all.find((p) => p.id === id)!) };
      }
      return { plants: page(all, { sort: 'today_kwh', limit: String(limit) }, SORTS.plants, 'today_kwh').rows };
    }
  );

  app.get<{ Params: { id: string }; Querystring: { west: string; south: string; east: string; north: string } }>(
    '/api/v1/screens/:id/region',
    {
      schema: {
        params: ScreenParams,
        querystring: Type.Object({ west: Coordinate, south: Coordinate, east: Coordinate, north: Coordinate }, { additionalProperties: false })
      },
      preHandler: requireAny
    },
    async (request) => {
      const screen = screenFor(request, request.params.id);
      const [west, south, east, north] = [request.query.west, request.query.south, request.query.east, request.query.north].map(Number);
      if (Math.abs(south) > 90 || Math.abs(north) > 90 || south > north) throw new ClientError(400, 'south', 'south and north must be latitudes with south <= north');
      if (Math.abs(west) > 180 || Math.abs(east) > 180) throw new ClientError(400, 'west', 'west and east must be longitudes');
      const now = app.now();
      return regions.stats(screen.tenant_id, { west, south, east, north }, now, (plantId) => rows.plantRow(plantId, now, true)?.power_w ?? 0);
    }
  );
}
