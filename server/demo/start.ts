// Runs the demo fleet in the server process: on by default while the store is empty or holds
// only the demo, off with FLEETWALL_DEMO=off. It goes through the same registry and ingest
// code as any client, as the platform operator.
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '../auth/principal.ts';
import { pairingUrl } from '../routes/pairing.ts';
import { buildDemoFleet, DEMO_DISTRIBUTOR_ID } from './fleet.ts';
import { DemoSimulator } from './simulator.ts';

const OPERATOR: Principal = { kind: 'root' };

export function demoWanted(app: FastifyInstance): boolean {
  const { demo } = app.config;
  if (demo !== 'auto') return demo === 'on';
  const tenants = app.registry.tree.tenants;
  return tenants.size === 0 || tenants.has(DEMO_DISTRIBUTOR_ID);
}

export async function startDemo(app: FastifyInstance, base: string): Promise<{ stop(): Promise<void> } | null> {
  if (!demoWanted(app)) return null;
  const log = (msg: string) => app.log.info(`demo: ${msg}`);
  const simulator = new DemoSimulator(
    buildDemoFleet(),
    {
      upsertRegistry: async (batch) => void (await app.registry.upsert(OPERATOR, batch)),
      ingest: (batch) => app.ingestor.ingest(OPERATOR, batch)
    },
    { log }
  );
  const started = Date.now();
  // On a restart over the demo's own store, the fleet and today's records are already there:
  // the live loop picks up from now instead of sending the day again.
  const resuming = app.registry.tree.tenants.has(DEMO_DISTRIBUTOR_ID);
  if (!resuming) {
    const seeded = await simulator.seedToday();
    console.log(`Demo fleet: ${seeded.records} records of today in ${Date.now() - started} ms; history is filling in.`);
  } else {
    console.log('Demo fleet: resuming the demo already in the store.');
  }
  simulator.start();
  const screen = await demoScreen(app);
  // A fresh one-time pairing link each start; a browser paired before stays paired.
  const url = (await pairingUrl(app, null, screen.id)).replace(/^http:\/\/localhost:\d+/, base);
  console.log(`Demo screen: ${url}\n`);
  const owner = await demoOwner(app);
  console.log(`Demo admin: ${base}/admin  (${owner.email} / ${owner.password})\n`);
  const historyMarker = join(app.config.dataDir, 'demo-history.done');
  if (!existsSync(historyMarker)) {
    void simulator
      .backfill({ years: 5 })
      .then((summary) => {
        log(`history ${summary.cancelled ? 'stopped' : 'complete'}: ${summary.records} records in ${summary.batches} batches`);
        if (!summary.cancelled) writeFileSync(historyMarker, new Date().toISOString());
      })
      .catch((error: unknown) => app.log.error({ err: error }, 'demo history failed'));
  }
  return { stop: () => simulator.stop() };
}

/** The demo's screen, kept across restarts so its URL stays the same. */
async function demoScreen(app: FastifyInstance): Promise<{ id: string; token: string }> {
  const file = join(app.config.dataDir, 'demo-screen.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { id: string; token: string };
    const record = app.credentials.screens.get(saved.id);
    if (record && !record.revoked) return saved;
  }
  const created = await app.credentials.createScreen(DEMO_DISTRIBUTOR_ID, 'Demo wall');
  writeFileSync(file, JSON.stringify(created), { mode: 0o600 });
  return created;
}

/** The demo distributor's owner, created once; the password is kept beside the store for the demo only. */
async function demoOwner(app: FastifyInstance): Promise<{ email: string; password: string }> {
  const file = join(app.config.dataDir, 'demo-owner.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { email: string; password: string };
  const owner = { email: 'owner@helios.example', password: randomBytes(12).toString('base64url') };
  const user = await app.accounts.createUser(owner.email, 'Helios Owner', owner.password);
  await app.accounts.grant(user.id, DEMO_DISTRIBUTOR_ID, 'owner');
  writeFileSync(file, JSON.stringify(owner), { mode: 0o600 });
  return owner;
}
