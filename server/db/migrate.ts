// Applies aggregates/migrations/NNN_verb_object.sql in order, once each, recording versions.
// Forward-only: a landed migration is never edited; a change is a new file.
import type { ClickHouseClient } from '@clickhouse/client';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { insertRows, rows } from './store.ts';

export const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '../../aggregates/migrations');

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export function readMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.replace(/\.sql$/, ''),
      statements: splitStatements(readFileSync(join(dir, file), 'utf8'))
    }));
}

/** Statements end with a semicolon at the end of a line; `--` comment lines are dropped. */
export function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

export async function migrate(client: ClickHouseClient, log: (msg: string) => void = () => {}): Promise<number[]> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations (
      version UInt32, name String, applied_at DateTime DEFAULT now()
    ) ENGINE = ReplacingMergeTree ORDER BY version`
  });
  const applied = new Set(
    (await rows<{ version: number }>(client, 'SELECT version FROM schema_migrations FINAL')).map((r) => r.version)
  );
  const done: number[] = [];
  for (const migration of readMigrations()) {
    if (applied.has(migration.version)) continue;
    for (const query of migration.statements) await client.command({ query });
    await insertRows(client, 'schema_migrations', [{ version: migration.version, name: migration.name }]);
    log(`applied migration ${migration.name}`);
    done.push(migration.version);
  }
  return done;
}
