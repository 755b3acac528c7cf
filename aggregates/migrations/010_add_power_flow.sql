-- The power flow of a site (battery, grid, home load) in each device's latest record, so a plant
-- view has it right after a restart; and the factors of the environmental equivalents.
ALTER TABLE device_latest ADD COLUMN IF NOT EXISTS battery_power_w Nullable(Float64);

ALTER TABLE device_latest ADD COLUMN IF NOT EXISTS grid_power_w Nullable(Float64);

ALTER TABLE device_latest ADD COLUMN IF NOT EXISTS load_power_w Nullable(Float64);

DROP VIEW IF EXISTS device_latest_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS device_latest_mv TO device_latest AS
SELECT sn, plant_id, ts, status, power_w, battery_soc, fault_code, battery_power_w, grid_power_w, load_power_w
FROM telemetry;

ALTER TABLE branding ADD COLUMN IF NOT EXISTS tree_co2_kg Nullable(Float64);

ALTER TABLE branding ADD COLUMN IF NOT EXISTS coal_kg_per_kwh Nullable(Float64);
