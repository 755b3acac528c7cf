-- The latest record of each device: what live state is rebuilt from at start. Size: devices.
CREATE TABLE IF NOT EXISTS device_latest (
  sn String,
  plant_id String,
  ts DateTime64(3, 'UTC'),
  local_date Date,
  status LowCardinality(String),
  power_w Float64,
  e_today_kwh Float64,
  e_total_kwh Nullable(Float64),
  battery_soc Nullable(Float32),
  battery_power_w Nullable(Float64),
  grid_power_w Nullable(Float64),
  load_power_w Nullable(Float64),
  fault_code Nullable(String)
) ENGINE = ReplacingMergeTree(ts)
ORDER BY sn
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS device_latest_mv TO device_latest AS
SELECT
  sn,
  argMax(plant_id, telemetry.ts) AS plant_id,
  max(telemetry.ts) AS ts,
  argMax(local_date, telemetry.ts) AS local_date,
  argMax(status, telemetry.ts) AS status,
  argMax(power_w, telemetry.ts) AS power_w,
  argMax(e_today_kwh, telemetry.ts) AS e_today_kwh,
  argMax(e_total_kwh, telemetry.ts) AS e_total_kwh,
  argMax(battery_soc, telemetry.ts) AS battery_soc,
  argMax(battery_power_w, telemetry.ts) AS battery_power_w,
  argMax(grid_power_w, telemetry.ts) AS grid_power_w,
  argMax(load_power_w, telemetry.ts) AS load_power_w,
  argMax(fault_code, telemetry.ts) AS fault_code
FROM telemetry
GROUP BY sn;
