-- The latest record of each device, as much of it as live state needs: what it is rebuilt from
-- at start. Size: devices.
CREATE TABLE IF NOT EXISTS device_latest (
  sn String,
  plant_id String,
  ts DateTime64(3, 'UTC'),
  status LowCardinality(String),
  power_w Float64,
  battery_soc Nullable(Float32),
  fault_code Nullable(String)
) ENGINE = ReplacingMergeTree(ts)
ORDER BY sn
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS device_latest_mv TO device_latest AS
SELECT
  sn,
  argMax(plant_id, telemetry.ts) AS plant_id,
  max(telemetry.ts) AS ts,
  argMax(status, telemetry.ts) AS status,
  argMax(power_w, telemetry.ts) AS power_w,
  argMax(battery_soc, telemetry.ts) AS battery_soc,
  argMax(fault_code, telemetry.ts) AS fault_code
FROM telemetry
GROUP BY sn;
