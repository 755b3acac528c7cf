// The server of the server soak, in its own process so that its memory and event loop are its
// own: the real app on the embedded engine (test/helpers/app.ts), listening on a port, with a
// synthetic fleet and its screens registered. It measures itself when the soak asks: RSS, the JS
// heap after a full collection (run with --expose-gc), and the event loop's delay since the last
// sample (monitorEventLoopDelay, the histogram Node keeps of how late its timers fire).
// What it samples beyond those: test/soak/server-memory.ts.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { syntheticFleet } from '../../bench/lib.ts';
import { startTestApp } from '../helpers/app.ts';
import { engineMemory, kernelRss, MB } from './server-memory.ts';

export type ServerCommand = { kind: 'sample' } | { kind: 'close' };
/** One sample's figures, in MB, ms and counts; the ones named here are the ones the soak judges or prints. */
export type ServerFigures = Record<string, number> &
  Record<'rssMB' | 'rssAnonMB' | 'rssFileMB' | 'heapMB' | 'engineTrackedMB' | 'jemallocAllocatedMB' | 'jemallocResidentMB' | 'lagMeanMs' | 'lagP99Ms' | 'lagMaxMs', number>;
export type ServerReply =
  | { kind: 'ready'; url: string; rootKey: string; tokens: string[]; devices: string[] }
  | { kind: 'sample'; figures: ServerFigures };

const plants = Number(process.env.SOAK_PLANTS);
const perPlant = Number(process.env.SOAK_PER_PLANT);
const screens = Number(process.env.SOAK_SCREENS);
const send = (reply: ServerReply) => process.send!(reply);

const t = await startTestApp();
const fleet = syntheticFleet(plants, perPlant);
await t.app.registry.upsert({ kind: 'root' }, fleet);
// Screens spread over the distributor and its customers, as a distributor's walls would be.
const tenants = fleet.tenants.map((tenant) => tenant.id);
const tokens: string[] = [];
for (let i = 0; i < screens; i++) tokens.push((await t.app.credentials.createScreen(tenants[i % tenants.length], `wall ${i}`)).token);
const url = await t.app.listen({ port: 0, host: '127.0.0.1' });

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

process.on('message', async (command: ServerCommand) => {
  if (command.kind === 'sample') {
    const engine = await engineMemory(t.store);
    gc();
    const memory = process.memoryUsage();
    const kernel = kernelRss();
    const figures: ServerFigures = {
      rssMB: memory.rss / MB,
      ...kernel,
      // What is left of the anonymous RSS once the engine's allocator and V8's heap are taken
      // out: Node's own malloc (sockets, HTTP, buffers), thread stacks, compiled code.
      otherAnonMB: kernel.rssAnonMB - engine.jemallocResidentMB - memory.heapTotal / MB,
      heapMB: memory.heapUsed / MB,
      heapTotalMB: memory.heapTotal / MB,
      externalMB: memory.external / MB,
      arrayBuffersMB: memory.arrayBuffers / MB,
      ...engine,
      lagMeanMs: lag.mean / 1e6,
      lagP99Ms: lag.percentile(99) / 1e6,
      lagMaxMs: lag.max / 1e6
    };
    send({ kind: 'sample', figures });
    lag.reset();
  } else {
    lag.disable();
    await t.close();
    process.disconnect();
  }
});
send({ kind: 'ready', url, rootKey: t.root.authorization.replace(/^Bearer /, ''), tokens, devices: fleet.devices.map((d) => d.sn) });
