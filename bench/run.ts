// npm run bench: each benchmark in its own process (the embedded engine binds one data
// directory per process), one after another so that they do not share the two cores.
import { spawnSync } from 'node:child_process';

const benches = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['ingest', 'rollups', 'snapshot', 'startup'];
let failed = false;
for (const name of benches) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`bench ${name} failed (exit ${run.status})`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
