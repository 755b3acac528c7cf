// The portal's reports from /admin: plant list, device list, and yield by day, month or year for
// the subtree or chosen plants, as CSV (streamed) or Excel. X-Total-Rows lets the page show
// progress on large ones.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { plantYieldByDay } from '../../../aggregates/queries/plantYieldByDay.ts';
import { plantYieldByMonth } from '../../../aggregates/queries/plantYieldByMonth.ts';
import { plantYieldByYear } from '../../../aggregates/queries/plantYieldByYear.ts';
import { csv, xlsx, type Table } from '../../exports/table.ts';
import { ClientError, notFound } from '../../errors.ts';
import { requireAdmin, requireRole } from '../../http/auth.ts';
import { Rows } from '../../live/rows.ts';
import { addDays, localDate } from '../../time/zones.ts';

const DateText = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Query = Type.Object(
  {
    grain: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('month'), Type.Literal('year')])),
    from: Type.Optional(DateText),
    to: Type.Optional(DateText),
    plants: Type.Optional(Type.String({ maxLength: 100_000 }))
  },
  { additionalProperties: false }
);
type Query = { grain?: 'day' | 'month' | 'year'; from?: string; to?: string; plants?: string };
const YIELD = { day: plantYieldByDay, month: plantYieldByMonth, year: plantYieldByYear } as const;

export default async function exportRoutes(app: FastifyInstance): Promise<void> {
  const rows = new Rows(app.registry, app.live);

  app.get<{ Params: { tenantId: string; file: string }; Querystring: Query }>(
    '/api/v1/admin/tenants/:tenantId/exports/:file',
    { schema: { params: Type.Object({ tenantId: Type.String({ maxLength: 128 }), file: Type.String({ maxLength: 32 }) }), querystring: Query }, preHandler: requireAdmin },
    async (request, reply) => {
      const { tenantId, file } = request.params;
      requireRole(request, tenantId, 'viewer');
      const match = /^(plants|devices|yield)\.(csv|xlsx)$/.exec(file);
      if (!match) throw new ClientError(404, 'file', 'exports are plants, devices or yield, as .csv or .xlsx');
      const [, report, format] = match;
      const tree = app.registry.tree;
      const subtree = tree.plantsOf(tenantId);
      let plants = subtree;
      if (request.query.plants) {
        plants = request.query.plants.split(',').filter(Boolean);
        for (const id of plants) if (!subtree.includes(id)) throw notFound('plants', 'plant', id);
      }
      const now = app.now();
      const chosen = new Set(plants);
      let table: Table;
      if (report === 'plants') {
        table = {
          name: 'Plants',
          headers: ['Plant ID', 'Plant', 'Owner', 'City', 'Country', 'Built on', 'Devices', 'Status', 'Power (W)', 'Capacity (kW)', 'Today (kWh)', 'Total (kWh)'],
          rows: rows
            .plants(tenantId, now, false)
            .filter((p) => chosen.has(p.id))
            .map((p) => [p.id, p.name, p.owner, p.city, p.country, p.built_on, p.devices, p.status, p.power_w, p.capacity_kw, p.today_kwh, p.total_kwh])
        };
      } else if (report === 'devices') {
        table = {
          name: 'Devices',
          headers: ['Serial number', 'Plant ID', 'Plant', 'Status', 'Datalogger', 'Kind', 'Model', 'Power (W)', 'Rated power (W)', 'Today (kWh)', 'This month (kWh)', 'Total (kWh)', 'Last update'],
          rows: rows
            .devices(tenantId, now)
            .filter((d) => chosen.has(d.plant_id))
            .map((d) => [d.sn, d.plant_id, d.plant_name, d.status, d.datalogger_sn, d.kind, d.model, d.power_w, d.rated_power_w, d.today_kwh, d.month_kwh, d.total_kwh, d.last_update])
        };
      } else {
        const grain = request.query.grain ?? 'month';
        // Like the wall's series: up to the latest plant-local date of the plants in the report.
        const today = plants.reduce((latest, id) => {
          const date = localDate(now, tree.plants.get(id)!.timezone);
          return date > latest ? date : latest;
        }, localDate(now, tree.timezoneOf(tenantId)));
        const from = request.query.from ?? (grain === 'day' ? addDays(today, -29) : grain === 'month' ? `${today.slice(0, 4)}-01-01` : `${Number(today.slice(0, 4)) - 4}-01-01`);
        const to = request.query.to ?? today;
        if (from > to) throw new ClientError(400, 'from', 'must not be after to');
        const found = plants.length === 0 ? [] : await YIELD[grain](app.store, plants, from, to);
        table = {
          name: `Yield by ${grain}`,
          headers: [grain === 'day' ? 'Date' : grain === 'month' ? 'Month' : 'Year', 'Plant ID', 'Plant', 'Energy (kWh)'],
          rows: found.map((r) => [r.period, r.plant_id, tree.plants.get(r.plant_id)?.name ?? r.plant_id, Math.round(r.kwh * 1000) / 1000])
        };
      }
      const name = `${tenantId}-${report}-${localDate(now, 'UTC')}.${format}`;
      void reply
        .header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`)
        .header('x-total-rows', String(table.rows.length))
        .header('cache-control', 'no-store');
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(Readable.from(csv(table)));
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await xlsx(table));
    }
  );
}
