// Builds the Fastify app: external plugins, then the store, registry and live state, then the
// routes and the Socket.IO gateway. server/main.ts only creates, listens and shuts down.
import type { ClickHouseClient } from '@clickhouse/client';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { Accounts } from './accounts/accounts.ts';
import { Credentials } from './auth/credentials.ts';
import { PING_INTERVAL_MS } from './contract.ts';
import { Secrets } from './auth/secrets.ts';
import { Branding } from './branding/branding.ts';
import type { Principal } from './auth/principal.ts';
import type { Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { ClientError } from './errors.ts';
import { bearer, foreignOrigin } from './http/auth.ts';
import { errorHandler } from './http/errors.ts';
import { parseJsonBody } from './http/json.ts';
import { loadShell, RESPONSE_CSP } from './http/shell.ts';
import { Ingestor, RETRY_AFTER_S } from './ingest/ingest.ts';
import { FleetStream, type RedisClient } from './live/fleetStream.ts';
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
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, parseJsonBody);
  const displayDir = opts.displayDir ?? defaultDisplayDir;
  const shell = loadShell(displayDir, config.mapStyle);
  // Every answer gets a strict policy; the display's shell gets its own (server/http/shell.ts).
  await fastify.register(helmet, { contentSecurityPolicy: RESPONSE_CSP, referrerPolicy: { policy: 'no-referrer' } });
  await fastify.register(cookie);
  const { perKey, perAddress } = config.limits;
  await fastify.register(rateLimit, {
    keyGenerator: rateKey,
    max: (_request, key) => (key.startsWith('address:') ? perAddress : perKey),
    timeWindow: 60_000,
    // The API and pairing; the display's files are the same for everyone and cached.
    allowList: (request) => !request.url.startsWith('/api/') && !request.url.startsWith('/pair/'),
    errorResponseBuilder: (request, context) => {
      const perRoute = request.routeOptions.config.rateLimit !== undefined;
      const byKey = !perRoute && rateKey(request).startsWith('key:');
      const name = perRoute ? `${request.routeOptions.url} per address` : byKey ? 'FLEETWALL_RATE_PER_KEY' : 'FLEETWALL_RATE_PER_ADDRESS';
      const who = byKey ? 'this API key' : 'this address';
      return new ClientError(context.statusCode, null, `too many requests: more than ${context.max} a minute from ${who} (${name}); retry in ${context.after}`, {
        name,
        max: context.max,
        window_s: 60
      });
    }
  });

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
  const redis = config.redisUrl ? await connectRedis(fastify, config.redisUrl) : null;
  let stream: FleetStream | null = null;
  const ingestor = new Ingestor(store, registry, live, {
    now,
    onApplied: () => gatewayRef?.nudge(),
    onStored: (batch) => stream?.publish(batch),
    journalPath: join(config.dataDir, 'ingest-unsettled.json')
  });
  // What another instance wrote to the store's caches is read again here, and the other way round.
  const reloads: Record<string, () => Promise<void>> = {
    registry: () => registry.reload(),
    credentials: () => credentials.load(),
    secrets: () => secrets.load(now()),
    accounts: () => accounts.load(),
    branding: () => branding.reload()
  };
  if (redis) {
    stream = new FleetStream({
      redis,
      instanceId: randomUUID(),
      apply: (batch) => ingestor.applyForeign(batch),
      // Entries may be gone, notices of cache writes among them: everything is read again.
      rebuild: async () => {
        for (const reload of Object.values(reloads)) await reload();
        await ingestor.exclusive(() => live.rebuild(store, now()));
      },
      reload: async (caches) => {
        for (const cache of caches) await reloads[cache]?.();
      },
      log: fastify.log
    });
  }
  for (const [name, cache] of Object.entries({ registry, credentials, secrets, accounts, branding })) cache.written.on(() => stream?.notice(name));
  // Entries added from here on are read after the rebuild below: applying one the rebuild already
  // saw raises nothing (server/ingest/deltas.ts).
  const streamFrom = stream ? await stream.position() : null;
  ingestor.health.onChange(({ condition, since, reason }) => {
    if (condition === 'ok') fastify.log.info('store: ok again');
    else fastify.log.warn(`store: ${condition} since ${new Date(since).toISOString()}${reason ? ` (${reason})` : ''}`);
  });
  // A batch cut off by a crash is completed before live state is read from the store.
  await ingestor.settle();
  await live.rebuild(store, now());
  if (stream) await stream.start(streamFrom!);

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

  if (shell) {
    await fastify.register(fastifyStatic, {
      root: displayDir,
      wildcard: false,
      // The shell is served from memory with its policy, below.
      index: false,
      allowedPath: (path) => path !== '/index.html',
      // Hashed build assets never change; everything else is revalidated.
      setHeaders: (reply: { header(name: string, value: string): unknown }, path: string) => {
        if (path.includes(join('_app', 'immutable'))) reply.header('cache-control', 'public, max-age=31536000, immutable');
      }
    });
  }
  fastify.setNotFoundHandler((request, reply) => {
    // Client routes of the single-page display fall back to its shell; the API answers 404.
    if (request.method === 'GET' && !request.url.startsWith('/api/') && shell) {
      return reply.header('cache-control', 'no-cache').header('content-security-policy', shell.csp).type('text/html; charset=utf-8').send(shell.html);
    }
    return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `${request.method} ${request.url.split('?')[0]} not found`, field: null });
  });

  const io: FleetServer = new Server(fastify.server, {
    serveClient: false,
    // A screen sends nothing but its handshake: small frames, and a quick end to handshakes that
    // never authenticate.
    maxHttpBufferSize: 64 * 1024,
    connectTimeout: 10_000,
    // Frequent pings, so a screen knows its link is gone within seconds; a long wait for the
    // pong, so that a wall busy drawing is not cut off for being slow to answer.
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: 20_000,
    // Pages of other sites may not open sockets here (programs send no Origin and use a token).
    allowRequest: (request, callback) => callback(null, !foreignOrigin(request.headers.origin, request.headers.host)),
    // Several instances: what one emits to a screen's room reaches it on whichever instance it is.
    ...(redis ? { adapter: createAdapter(redis) } : {})
  });
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
    await stream?.close();
    // Batches stored meanwhile are published before the connection closes.
    await redis?.close();
  });
}

/** Connects to Redis, waiting for it at start as for a ClickHouse server; later outages are retried by the client. */
async function connectRedis(fastify: FastifyInstance, url: string): Promise<RedisClient> {
  let down = false;
  const redis = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5_000) } });
  redis.on('error', (error: Error) => {
    if (!down) fastify.log.warn(`redis: ${error.message}; reconnecting (ingest goes on meanwhile)`);
    down = true;
  });
  redis.on('ready', () => {
    if (down) fastify.log.info('redis: connected again');
    down = false;
  });
  await redis.connect();
  return redis;
}

/** Requests with a valid key or screen token count against it; all others against their address. */
function rateKey(request: FastifyRequest): string {
  const secret = bearer(request);
  const principal = secret === null ? null : request.server.credentials.authenticate(secret);
  if (principal?.kind === 'root') return 'key:root';
  if (principal?.kind === 'tenant') return `key:${principal.keyId}`;
  if (principal?.kind === 'screen') return `key:${principal.screenId}`;
  return `address:${request.ip}`;
}

export default fp(app, { name: 'fleetwall', fastify: '5.x' });
