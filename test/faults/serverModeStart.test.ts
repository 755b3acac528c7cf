// Server mode, the Fleetwall server started while its ClickHouse server is down (both starting
// at once, or the store away): it waits for the store, saying so, and serves once it answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startClickHouseStandIn, type ClickHouseStandIn } from '../helpers/clickhouseStandIn.ts';
import { fleet, record } from '../helpers/fleet.ts';
import { api, startServer, type ServerProcess } from './serverProcess.ts';

let standIn: ClickHouseStandIn | undefined;
let server: ServerProcess | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'fleetwall-start-'));

afterAll(async () => {
  server?.child.kill('SIGKILL');
  await server?.exited;
  await standIn?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a server started before its ClickHouse server', () => {
  it('waits for the store, then serves', { timeout: 120_000 }, async () => {
    standIn = await startClickHouseStandIn();
    await standIn.kill();
    const starting = startServer(dataDir, 0, standIn.env);
    // Neither listening nor exited a few seconds on: waiting, saying what for.
    let settled = false;
    starting.then(
      () => (settled = true),
      () => (settled = true)
    );
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(settled).toBe(false);
    await standIn.restart();
    server = await starting;
    expect(server.stderr()).toMatch(/the store does not answer \(.*ECONNREFUSED.*\); trying again in \d+ s/);
    expect((await api(server.base, 'POST', '/api/v1/registry', fleet)).status).toBe(200);
    const ingest = await api(server.base, 'POST', '/api/v1/telemetry', { batch_id: 'first', records: [record('AKL-1', new Date(Date.now() - 60_000).toISOString(), 1.5)] });
    expect(ingest.status).toBe(200);
  });
});
