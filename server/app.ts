// Builds the Fastify app: external plugins, then the store, registry and live state, then the
// routes and the Socket.IO gateway. server/main.ts only creates, listens and shuts down.
import type { ClickHouseClient } from '@clickhouse/client';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { Accounts } from './accounts/accounts.ts';
import { Credentials } from './auth/credentials.ts';
import { Secrets } from './auth/secrets.ts';
import { Branding } from './branding/branding.ts';
import type { Principal } from './auth/principal.ts';
import type { Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { errorHandler } from './http/errors.ts';
import { Ingestor, RETRY_AFTER_S } from './ingest/ingest.ts';
import { createGateway, type FleetServer, type Gateway } from './live/gateway.ts';
import { LiveState } from './live/state.ts';
import { Registry } from './registry/registry.ts';
import adminRoutes from './routes/admin/index.ts';
import authRoutes from './routes/auth.ts';
import displayRoutes from './routes/display.ts';
import pairingRoutes from './routes/pairing.ts';
import keyRoutes from './routes/keys.ts';
import registryRoutes from './routes/registry.ts';
import screenDataRoutes from './routes/screenData.ts';
import screenRoutes from './routes/screens.ts';
import telemetryRoutes from './routes/telemetry.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    store: ClickHouseClient;
    registry: Registry;
    credentials: Credentials;
    accounts: Accounts;
    secrets: Secrets;
    branding: Branding;
    live: LiveState;
    ingestor: Ingestor;
    io: FleetServer;
    gateway: Gateway;
    now: () => number;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface AppOptions {
  config: Config;
  store: ClickHouseClient;
  rootKey: string;
  /** Where the built display lives; not served when absent. */
  displayDir?: string;
  /** The clock every figure is computed at; tests pin it. */
  now?: () => number;
}

export const defaultDisplayDir = join(dirname(fileURLToPath(import.meta.url)), '../build');
const PRUNE_MS = 60_000;

async function app(fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  const { config, store } = opts;
  const now = opts.now ?? Date.now;
  fastify.setErrorHandler(errorHandler);
  // The display draws maps in web workers and inline styles; its CSP is set with the display.
  await fastify.register(helmet, { contentSecurityPolicy: false, referrerPolicy: { policy: 'no-referrer' } });
  await fastify.register(cookie);
  // Limits are set per route (login); nothing global yet.
  await fastify.register(rateLimit, { global: false });

  await migrate(store, (msg) => fastify.log.info(msg));
  const registry = new Registry(store);
  await registry.load();
  const credentials = new Credentials(store, opts.rootKey);
  await credentials.load();
  const accounts = new Accounts(store);
  await accounts.load();
  const secrets = new Secrets(store);
  await secrets.load(now());
  const branding = new Branding(store);
  await branding.load();
  const live = new LiveState({ offlineAfterMs: config.offlineAfterMs, now: now() });
  // The gateway exists once the routes are up; until then there are no screens to tell.
  let gatewayRef: Gateway | null = null;
  const ingestor = new Ingestor(store, registry, live, { now, onApplied: () => gatewayRef?.nudge(), journalPath: join(config.dataDir, 'ingest-unsettled.json') });
  // A batch cut off by a crash is completed before live state is read from the store.
  await ingestor.settle();
  await live.rebuild(store, now());

  fastify.decorate('config', config);
  fastify.decorate('now', now);
  fastify.decorate('store', store);
  fastify.decorate('registry', registry);
  fastify.decorate('credentials', credentials);
  fastify.decorate('accounts', accounts);
  fastify.decorate('secrets', secrets);
  fastify.decorate('branding', branding);
  fastify.decorate('live', live);
  fastify.decorate('ingestor', ingestor);
  fastify.decorateRequest('principal', null);

  await fastify.register(registryRoutes);
  await fastify.register(telemetryRoutes);
  await fastify.register(screenRoutes);
  await fastify.register(keyRoutes);
  await fastify.register(displayRoutes);
  await fastify.register(authRoutes);
  await fastify.register(adminRoutes);
  await fastify.register(pairingRoutes);
  await fastify.register(screenDataRoutes);

  const displayDir = opts.displayDir ?? defaultDisplayDir;
  if (existsSync(join(displayDir, 'index.html'))) {
    await fastify.register(fastifyStatic, {
      root: displayDir,
      wildcard: false,
      // Hashed build assets never change; everything else is revalidated.
      setHeaders: (reply: { header(name: string, value: string): unknown }, path: string) => {
        if (path.includes(join('_app', 'immutable'))) reply.header('cache-control', 'public, max-age=31536000, immutable');
      }
    });
  }
  fastify.setNotFoundHandler((request, reply) => {
    // Client routes of the single-page display fall back to its shell; the API answers 404.
    if (request.method === 'GET' && !request.url.startsWith('/api/') && existsSync(join(displayDir, 'index.html'))) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', displayDir);
    }
    return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `${request.method} ${request.url.split('?')[0]} not found`, field: null });
  });

  const io: FleetServer = new Server(fastify.server, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
  const gateway = createGateway(io, { live, registry, credentials, secrets, branding, now, health: ingestor.health, parseCookie: (header) => fastify.parseCookie(header) });
  gatewayRef = gateway;
  registry.onChange(() => gateway.nudge());
  branding.onChange(() => gateway.nudge());
  fastify.decorate('io', io);
  fastify.decorate('gateway', gateway);

  const pruner = setInterval(() => live.prune(now()), PRUNE_MS);
  pruner.unref();
  // Stopping: requests already in (batches included) finish; anything new is refused with a
  // 503 that says when to come back and closes its connection, so a load balancer or a client
  // retries elsewhere. (main.ts turns off Fastify's own bare 503 for this.)
  let closing = false;
  fastify.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    return reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_S))
      .header('connection', 'close')
      .send({ statusCode: 503, error: 'Service Unavailable', message: 'the server is restarting; send the request again shortly', field: null });
  });
  fastify.addHook('preClose', async () => {
    closing = true;
    ingestor.stop();
    clearInterval(pruner);
    gateway.close();
    // Screens are told at once (and reconnect elsewhere); Fastify then closes the HTTP server.
    gateway.restarting();
    io.engine.close();
  });
  fastify.addHook('onClose', async () => {
    await ingestor.drain();
    ingestor.health.close();
  });
}

export default fp(app, { name: 'fleetwall', fastify: '5.x' });
