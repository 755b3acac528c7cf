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
const fastify = Fastify(
  fastifyOptions(loggerOptions(config.logLevel), config.trustProxy)
);

await fastify.register(app, { config, store, rootKey: root.key });
const address = await fastify.listen({ port: config.port, host: config.host });
const base = config.publicUrl ?? `http://localhost:${(fastify.server.address() as { port: number }).port}`;
console.log(`\nFleetwall is running at ${base} (listening on ${address})`);
if (root.generated) console.log(`Root API key (kept in ${config.dataDir}/root.key): ${root.key}`);
else if (!config.rootKey) console.log(`Root API key: in ${config.dataDir}/root.key`);

const demo = await startDemo(fastify, base);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  fastify.log.info(`${signal}: shutting down`);
  const deadline = setTimeout(() => process.exit(1), 15_000);
  deadline.unref();
  await demo?.stop();
  await fastify.close();
  await store.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
