// Builds the real app on the real embedded ClickHouse engine in a fresh temporary directory.
// Each test file runs in its own process (vitest forks), and libchdb binds one directory per
// process: one app per test file.
import type { ClickHouseClient } from '@clickhouse/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import app from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createStore } from '../../server/db/store.ts';
import { fastifyOptions } from '../../server/http/options.ts';

export const ROOT_KEY = 'test-root-key-0123456789';

export interface TestApp {
  app: FastifyInstance;
  store: ClickHouseClient;
  dataDir: string;
  /** Bearer header for the root key. */
  root: { authorization: string };
  /** Closes the app only; the store stays open for a restart in the same process. */
  restart(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

/**
 * `wrapStore` puts something between the app and the real store (tests of store faults wrap it
 * to make calls fail or stall); `store` on the handle stays the real one.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  now?: () => number,
  displayDir?: string,
  wrapStore: (store: ClickHouseClient) => ClickHouseClient = (store) => store
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fleetwall-test-'));
  const config = loadConfig({ FLEETWALL_DATA: dataDir, FLEETWALL_DEMO: 'off', LOG_LEVEL: 'silent', ...env });
  const store = createStore(config);
  const appStore = wrapStore(store);
  const build = async () => {
    const instance = Fastify(fastifyOptions(false));
    await instance.register(app, { config, store: appStore, rootKey: ROOT_KEY, displayDir: displayDir ?? join(dataDir, 'no-display'), now });
    await instance.ready();
    return instance;
  };
  const handle: TestApp = {
    app: await build(),
    store,
    dataDir,
    root: { authorization: `Bearer ${ROOT_KEY}` },
    async restart() {
      await handle.app.close();
      handle.app = await build();
      return handle.app;
    },
    async close() {
      await handle.app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  return handle;
}
