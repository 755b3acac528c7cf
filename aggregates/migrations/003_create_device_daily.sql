-- Per device and plant-local date: the day's energy (largest e_today_kwh) and lifetime counter.
-- Size: devices x days. Feeds the rebuild of live state and the late-record arithmetic of ingest.
CREATE TABLE IF NOT EXISTS device_daily (
  sn String,
  local_date Date,
  plant_id SimpleAggregateFunction(anyLast, String),
  e_today_max SimpleAggregateFunction(max, Float64),
  e_total_max SimpleAggregateFunction(max, Nullable(Float64)),
  records SimpleAggregateFunction(sum, UInt64)
) ENGINE = AggregatingMergeTree
ORDER BY (sn, local_date)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS device_daily_mv TO device_daily AS
SELECT
  sn,
  local_date,
  anyLast(plant_id) AS plant_id,
  max(e_today_kwh) AS e_today_max,
  max(e_total_kwh) AS e_total_max,
  count() AS records
FROM telemetry
GROUP BY sn, local_date;
