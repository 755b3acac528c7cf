// Request bodies of the registry (DESIGN.md, external contract v1). Fastify validates them with
// ajv; bulk items reuse the same shapes plus their id.
import { Type, type Static } from '@sinclair/typebox';

export const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$', description: 'letters, digits and . _ : -' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const TimeZone = Type.String({ minLength: 1, maxLength: 64 });

export const TenantBody = Type.Object(
  {
    id: Type.Optional(Id),
    name: Text(200),
    parent_id: Type.Union([Id, Type.Null()]),
    kind: Type.Union([Type.Literal('distributor'), Type.Literal('installer'), Type.Literal('customer')]),
    timezone: Type.Optional(TimeZone),
    contact: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 200 })),
          email: Type.Optional(Type.String({ maxLength: 254 })),
          phone: Type.Optional(Type.String({ maxLength: 64 }))
        },
        { additionalProperties: false }
      )
    )
  },
  { additionalProperties: false }
);

export const PlantBody = Type.Object(
  {
    id: Type.Optional(Id),
    tenant_id: Id,
    name: Text(200),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    timezone: TimeZone,
    capacity_kw: Type.Number({ minimum: 0, maximum: 10_000_000 }),
    country: Type.Optional(Type.String({ maxLength: 64 })),
    city: Type.Optional(Type.String({ maxLength: 200 })),
    built_on: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }))
  },
  { additionalProperties: false }
);

export const DeviceBody = Type.Object(
  {
    sn: Type.Optional(Id),
    plant_id: Id,
    kind: Type.Union([Type.Literal('inverter'), Type.Literal('storage'), Type.Literal('charger')]),
    rated_power_w: Type.Number({ minimum: 0, maximum: 1e10 }),
    model: Type.Optional(Type.String({ maxLength: 200 })),
    datalogger_sn: Type.Optional(Type.String({ maxLength: 128 }))
  },
  { additionalProperties: false }
);

const MAX_BULK = 50_000;
export const RegistryBody = Type.Object(
  {
    tenants: Type.Optional(Type.Array(Type.Intersect([TenantBody, Type.Object({ id: Id })]), { maxItems: MAX_BULK })),
    plants: Type.Optional(Type.Array(Type.Intersect([PlantBody, Type.Object({ id: Id })]), { maxItems: MAX_BULK })),
    devices: Type.Optional(Type.Array(Type.Intersect([DeviceBody, Type.Object({ sn: Id })]), { maxItems: MAX_BULK }))
  },
  { additionalProperties: false }
);

export type TenantBody = Static<typeof TenantBody>;
export type PlantBody = Static<typeof PlantBody>;
export type DeviceBody = Static<typeof DeviceBody>;
export type RegistryBody = Static<typeof RegistryBody>;
