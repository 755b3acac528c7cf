-- Admin accounts, their memberships of tenants, invitations, and every server-side secret a
-- browser holds (admin sessions, screen sessions, one-time screen pairing codes), stored only
-- as SHA-256. Small tables, read into memory at start.
CREATE TABLE IF NOT EXISTS users (
  id String,
  email String,
  name String,
  password_hash String,
  created_at DateTime64(3, 'UTC'),
  version UInt64,
  deleted UInt8 DEFAULT 0
) ENGINE = ReplacingMergeTree(version, deleted)
ORDER BY id;

CREATE TABLE IF NOT EXISTS memberships (
  user_id String,
  tenant_id String,
  role LowCardinality(String),
  version UInt64,
  deleted UInt8 DEFAULT 0
) ENGINE = ReplacingMergeTree(version, deleted)
ORDER BY (user_id, tenant_id);

CREATE TABLE IF NOT EXISTS invitations (
  id String,
  token_hash String,
  email String,
  tenant_id String,
  role LowCardinality(String),
  expires_at DateTime64(3, 'UTC'),
  used UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS secrets (
  id String,
  secret_hash String,
  kind LowCardinality(String),
  subject_id String,
  created_at DateTime64(3, 'UTC'),
  expires_at DateTime64(3, 'UTC'),
  revoked UInt8 DEFAULT 0,
  version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY id;

ALTER TABLE screens ADD COLUMN IF NOT EXISTS settings String DEFAULT '{}';

ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS label String DEFAULT '';
