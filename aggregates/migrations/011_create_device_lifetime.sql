-- Each device's lifetime energy (the sum of its day energies: sums of e_delta_kwh, see 002) and
-- the largest lifetime counter it reported. Live state is rebuilt from it at start instead of
-- summing device_daily over every day of history. Size: devices.
CREATE TABLE IF NOT EXISTS device_lifetime (
  sn String,
  energy_kwh SimpleAggregateFunction(sum, Float64),
  e_total_max SimpleAggregateFunction(max, Nullable(Float64))
) ENGINE = AggregatingMergeTree
ORDER BY sn
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS device_lifetime_mv TO device_lifetime AS
SELECT sn, sum(e_delta_kwh) AS energy_kwh, max(e_total_kwh) AS e_total_max
FROM telemetry
GROUP BY sn;

-- Backfill from what the store already holds: migrations run at start, before any ingest, so the
-- view has seen nothing yet; the table is filled once even if a start stops before the version is
-- recorded (a second attempt finds it non-empty).
INSERT INTO device_lifetime
SELECT sn, sum(day_kwh), max(total_kwh)
FROM (
  SELECT sn, local_date, max(e_today_max) AS day_kwh, max(e_total_max) AS total_kwh
  FROM device_daily
  GROUP BY sn, local_date
)
WHERE (SELECT count() FROM device_lifetime) = 0
GROUP BY sn;
