// How the embedded engine's memory follows the number of inserts rather than time: the real app
// on a fresh store, small telemetry batches (10 records) one after another as fast as the
// machine takes them, the engine's and the process's memory printed every 500 batches. The
// server soak makes 720 inserts an hour; this passes the deduplication window (10,000 inserts
// per table) in about half an hour.
//
//   BATCHES=12000 node --expose-gc --import tsx test/soak/server-inserts.ts
import { syntheticFleet } from '../../bench/lib.ts';
import { startTestApp } from '../helpers/app.ts';
import { post, record } from '../helpers/fleet.ts';
import { engineMemory, kernelRss, MB } from './server-memory.ts';

const BATCHES = Number(process.env.BATCHES ?? 12_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const t = await startTestApp();
const fleet = syntheticFleet(200, 5);
await t.app.registry.upsert({ kind: 'root' }, fleet);
const devices = fleet.devices.map((d) => d.sn);
const t0 = Date.now();
const round = (x: number) => Number(x.toFixed(1));
for (let b = 0; b <= BATCHES; b++) {
  if (b % 500 === 0) {
    gc();
    const engine = await engineMemory(t.store);
    const kernel = kernelRss();
    console.log(
      JSON.stringify({
        batches: b,
        seconds: Math.round((Date.now() - t0) / 1000),
        rssMB: round(process.memoryUsage().rss / MB),
        rssAnonMB: round(kernel.rssAnonMB),
        heapMB: round(process.memoryUsage().heapUsed / MB),
        engineTrackedMB: round(engine.engineTrackedMB),
        jemallocAllocatedMB: round(engine.jemallocAllocatedMB),
        parts: engine.parts,
        dedupLogEntries: engine.dedupLogEntries
      })
    );
  }
  const ts = new Date().toISOString();
  const kwh = Number(((b + 1) / 100).toFixed(2));
  const records = Array.from({ length: 10 }, (_, i) => record(devices[(b * 10 + i) % devices.length], ts, kwh));
  const response = await post(t.app, t.root.authorization, { batch_id: `b${b}`, records });
  if (response.statusCode !== 200) throw new Error(`batch ${b}: ${response.statusCode} ${response.body}`);
}
await t.close();
