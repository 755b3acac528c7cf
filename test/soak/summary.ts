// Prints the latest soak results (test-results/soak/*.json) as the tables test/RESULTS.md holds:
// node --import tsx test/soak/summary.ts
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trend, type Sample, type Trend } from './trend.ts';

const dir = join(process.cwd(), 'test-results', 'soak');
const f = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const soak = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { run: { warmupMinutes: number }; trends: Trend[]; samples: Sample[] } & Record<string, unknown>;
  const { trends, samples, ...rest } = soak;
  console.log(`\n### ${name.replace('.json', '')}\n\n${JSON.stringify(rest)}\n`);
  const judged = new Map(trends.map((t) => [t.series, t]));
  // The series not judged are fitted the way the judged ones were: through the same windows' medians, or through every sample.
  const windowMs = (trends.find((t) => t.windowMinutes)?.windowMinutes ?? 0) * 60_000;
  const through = windowMs ? ` through ${f(windowMs / 60_000)}-min medians` : '';
  console.log(`| series | after warm-up: start | end | peak | slope per hour (± s.e.)${through} | limit | verdict |\n| --- | --- | --- | --- | --- | --- | --- |`);
  for (const series of Object.keys(samples[0]).filter((k) => k !== 't' && k !== 'asOf')) {
    const t = judged.get(series) ?? trend(samples, series, '', Infinity, { warmupMs: soak.run.warmupMinutes * 60_000, windowMs });
    const verdict = judged.has(series) ? (t.growing ? 'growing' : 'flat') : '(not judged)';
    console.log(`| ${series} | ${f(t.start)} | ${f(t.end)} | ${f(t.peak)} | ${f(t.perHour)} ± ${f(t.standardError)} | ${judged.has(series) ? f(t.limitPerHour) : '–'} | ${verdict} |`);
  }
}
