// npm run bench: each benchmark in its own process (the embedded engine binds one data
// directory per process), one after another so that they do not share the two cores.
import { spawnSync } from 'node:child_process';

const benches = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['ingest', 'rollups', 'snapshot', 'livestate', 'startup', 'browser', 'polling', 'fanout', 'durability', 'fleet-snapshot', 'storeOutage', 'crossInstance'];
// Live state holds a million devices: it needs a larger heap and explicit GC for its memory figure.
// The fleet snapshot's server holds a million devices too (live state and the registry).
const nodeFlags: Record<string, string[]> = { livestate: ['--expose-gc', '--max-old-space-size=12000'], 'fleet-snapshot': ['--max-old-space-size=12000'] };
let failed = false;
for (const name of benches) {
  const run = spawnSync(process.execPath, [...(nodeFlags[name] ?? []), '--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`bench ${name} failed (exit ${run.status})`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
