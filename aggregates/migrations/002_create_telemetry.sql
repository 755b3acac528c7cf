-- Raw device records, as accepted by ingest, enriched with the plant and the plant-local date.
-- e_delta_kwh is how much this record raised its device's largest e_today_kwh for local_date,
-- computed at ingest, so that plant rollups can be plain sums (a day's energy is a max per
-- device, and a sum of maxima cannot be kept incrementally by a materialized view). Likewise
-- p_delta_w is how much this record changes its plant's power in its 5-minute bucket (a
-- device's power in a bucket is its last record there).
-- The deduplication window makes a repeated batch (same insert_deduplication_token) a no-op.
CREATE TABLE IF NOT EXISTS telemetry (
  sn String,
  plant_id String,
  ts DateTime64(3, 'UTC'),
  local_date Date,
  status LowCardinality(String),
  power_w Float64,
  e_today_kwh Float64,
  e_total_kwh Nullable(Float64),
  e_delta_kwh Float64,
  p_delta_w Float64,
  pv_v Array(Float32),
  pv_i Array(Float32),
  pv_p Array(Nullable(Float32)),
  battery_soc Nullable(Float32),
  battery_power_w Nullable(Float64),
  grid_power_w Nullable(Float64),
  load_power_w Nullable(Float64),
  temperature_c Nullable(Float32),
  fault_code Nullable(String),
  batch_id String,
  received_at DateTime64(3, 'UTC')
) ENGINE = MergeTree
PARTITION BY toYYYYMM(local_date)
ORDER BY (plant_id, sn, ts)
SETTINGS non_replicated_deduplication_window = 10000;
