-- Each device's power in 5-minute UTC buckets (the last record in the bucket), kept 3 days:
-- enough for any tenant's local "today" curve after a restart. Size: devices x 864.
CREATE TABLE IF NOT EXISTS device_power_5min (
  bucket DateTime('UTC'),
  plant_id String,
  sn String,
  power AggregateFunction(argMax, Float64, DateTime64(3, 'UTC'))
) ENGINE = AggregatingMergeTree
PARTITION BY toDate(bucket)
ORDER BY (bucket, plant_id, sn)
TTL bucket + INTERVAL 3 DAY
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS device_power_5min_mv TO device_power_5min AS
SELECT
  toStartOfFiveMinutes(ts) AS bucket,
  plant_id,
  sn,
  argMaxState(power_w, ts) AS power
FROM telemetry
WHERE ts >= now() - INTERVAL 3 DAY
GROUP BY bucket, plant_id, sn;
