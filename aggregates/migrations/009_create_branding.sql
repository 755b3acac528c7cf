-- Branding a tenant sets for itself; NULL means "inherit from the parent". Logos are stored by
-- the SHA-256 of their re-encoded bytes (base64), never under a client's file name.
CREATE TABLE IF NOT EXISTS branding (
  tenant_id String,
  title Nullable(String),
  logo_hash Nullable(String),
  accent_color Nullable(String),
  theme Nullable(String),
  co2_factor Nullable(Float64),
  language Nullable(String),
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY tenant_id;

CREATE TABLE IF NOT EXISTS logos (
  hash String,
  content_type String,
  data_base64 String,
  created_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree
ORDER BY hash;
