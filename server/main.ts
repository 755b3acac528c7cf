// Starts Fleetwall: one process, one port — API, Socket.IO and the wall. Stops gracefully.
import Fastify from 'fastify';
import app from './app.ts';
import { resolveRootKey } from './auth/credentials.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createStore } from './db/store.ts';
import { fastifyOptions, loggerOptions } from './http/options.ts';
import { startDemo } from './demo/start.ts';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`fleetwall: invalid setting ${error.message}`);
    process.exit(1);
  }
  throw error;
}

const store = createStore(config);
const root = resolveRootKey(config.rootKey, config.dataDir);
const fastify = Fastify({
  ...fastifyOptions(loggerOptions(config.logLevel), config.trustProxy),
  // While stopping, the app answers new requests itself: a 503 with Retry-After (server/app.ts).
  return503OnClosing: false
});

/** Batches already in get this long to be stored before the process gives up and exits 1. */
const STOP_WITHIN_MS = 15_000;
let stopping = false;
let demo: Awaited<ReturnType<typeof startDemo>> = null;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  fastify.log.info(`${signal}: shutting down`);
  const deadline = setTimeout(() => {
    console.error(`fleetwall: could not stop within ${STOP_WITHIN_MS / 1000} s`);
    process.exit(1);
  }, STOP_WITHIN_MS);
  deadline.unref();
  // Refuse new work, tell the screens, let the requests already in finish (their batches stored),
  // then close the store.
  const closed = fastify.close();
  await demo?.stop();
  await closed;
  await store.close();
  process.exit(0);
}
// From the start: a stop asked for while the server is still starting is a graceful one too.
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

// A ClickHouse server may be starting too, or down: the server waits for it instead of exiting.
// (The embedded engine is open or has failed by now.)
for (let wait = 1_000; config.clickhouse && !stopping; wait = Math.min(wait * 2, 30_000)) {
  const ping = await store.ping();
  if (ping.success) break;
  console.error(`fleetwall: the store does not answer (${ping.error.message}); trying again in ${wait / 1000} s`);
  await new Promise((resolve) => setTimeout(resolve, wait));
}
await fastify.register(app, { config, store, rootKey: root.key });
const address = await fastify.listen({ port: config.port, host: config.host });
const base = config.publicUrl ?? `http://localhost:${(fastify.server.address() as { port: number }).port}`;
console.log(`\nFleetwall is running at ${base} (listening on ${address})`);
if (root.generated) console.log(`Root API key (kept in ${config.dataDir}/root.key): ${root.key}`);
else if (!config.rootKey) console.log(`Root API key: in ${config.dataDir}/root.key`);

if (!stopping) demo = await startDemo(fastify, base);

