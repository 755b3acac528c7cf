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

-- Every record goes in as it is; merges keep each device's latest (ReplacingMergeTree(ts)), and
-- reads use FINAL. Cheaper at ingest than aggregating each block with argMax.
CREATE MATERIALIZED VIEW IF NOT EXISTS device_latest_mv TO device_latest AS
SELECT sn, plant_id, ts, status, power_w, battery_soc, fault_code
FROM telemetry;
