// Sends a sample of the fixture's plants through the real ingest (POST /api/v1/telemetry, views
// attached) on a fresh store, at the fixture's instant, and checks that ingest computes the same
// deltas and the views the same rollup rows as the fixture holds. Exits 1 on any difference.
import { readFileSync } from 'node:fs';
import { runChecks, type SampleFile } from './fixture-sample.ts';
import { benchApp, ROOT } from './lib.ts';

const sample = JSON.parse(readFileSync(process.argv[2], 'utf8')) as SampleFile;
const { app } = await benchApp({}, () => sample.now);
const headers = { authorization: `Bearer ${ROOT}` };
const registry = await app.inject({ method: 'POST', url: '/api/v1/registry', headers, payload: { tenants: sample.tenants, plants: sample.plants, devices: sample.devices } });
if (registry.statusCode !== 200) throw new Error(`registry: ${registry.statusCode} ${registry.body}`);
const BATCH = 10_000;
for (let i = 0; i < sample.records.length; i += BATCH) {
  const answer = await app.inject({ method: 'POST', url: '/api/v1/telemetry', headers, payload: { batch_id: `sample-${i}`, records: sample.records.slice(i, i + BATCH) } });
  const body = answer.json() as { accepted: number; rejected: unknown[] };
  if (answer.statusCode !== 200 || body.rejected.length > 0) throw new Error(`telemetry: ${answer.statusCode} ${answer.body.slice(0, 500)}`);
}
const ours = await runChecks(app.store, sample.plants.map((p) => p.id), sample.devices.map((d) => d.sn));
await app.close();

const differing: string[] = [];
let compared = 0;
for (const [name, expected] of Object.entries(sample.checks)) {
  const got = ours[name];
  compared += expected.length;
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    const at = expected.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(got[i]));
    differing.push(`${name}: ${got.length} rows through ingest, ${expected.length} in the fixture; first difference at row ${at}: ${JSON.stringify(got[at])} vs ${JSON.stringify(expected[at])}`);
  }
}
if (differing.length > 0) {
  console.log(differing.join('\n'));
  process.exit(1);
}
console.log(
  `sample of ${sample.plants.length} plants (${sample.devices.length} devices, ${sample.records.length} records) sent through POST /api/v1/telemetry: ` +
    `deltas and all ${Object.keys(sample.checks).length - 1} rollups equal the fixture's (${compared} rows)`
);
