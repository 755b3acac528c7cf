-- The registry: tenants, plants, devices, API keys and screens. Small tables, read whole into
-- memory at start; an upsert is a new row with a higher version (ReplacingMergeTree keeps the last).
CREATE TABLE IF NOT EXISTS tenants (
  id String,
  name String,
  parent_id Nullable(String),
  kind LowCardinality(String),
  timezone Nullable(String),
  contact String,
  version UInt64,
  deleted UInt8 DEFAULT 0
) ENGINE = ReplacingMergeTree(version, deleted)
ORDER BY id;

CREATE TABLE IF NOT EXISTS plants (
  id String,
  tenant_id String,
  name String,
  lat Float64,
  lon Float64,
  timezone String,
  capacity_kw Float64,
  country Nullable(String),
  city Nullable(String),
  built_on Nullable(Date),
  version UInt64,
  deleted UInt8 DEFAULT 0
) ENGINE = ReplacingMergeTree(version, deleted)
ORDER BY id;

CREATE TABLE IF NOT EXISTS devices (
  sn String,
  plant_id String,
  kind LowCardinality(String),
  rated_power_w Float64,
  model Nullable(String),
  datalogger_sn Nullable(String),
  version UInt64,
  deleted UInt8 DEFAULT 0
) ENGINE = ReplacingMergeTree(version, deleted)
ORDER BY sn;

-- Secrets are never stored: only their SHA-256.
CREATE TABLE IF NOT EXISTS api_keys (
  id String,
  tenant_id String,
  key_hash String,
  created_at DateTime64(3, 'UTC'),
  revoked UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS screens (
  id String,
  tenant_id String,
  name String,
  token_hash String,
  created_at DateTime64(3, 'UTC'),
  revoked UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;
