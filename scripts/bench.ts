// `npm run bench [filter]`: runs every bench/*.bench.ts (or those whose file name contains the
// filter), prints one table, and writes bench-results.json for BENCHMARKS.md.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatValue, type Bench, type BenchResult } from '../bench/harness.ts';

const dir = join(import.meta.dirname, '..', 'bench');
const filter = process.argv[2] ?? '';
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && f.includes(filter)).sort();
const all: (BenchResult & { file: string })[] = [];
let failed = false;

for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: Bench };
  console.log(`\n## ${file}`);
  try {
    for (const r of await mod.default()) {
      all.push({ ...r, file });
      const base = r.baseline ? `  | baseline ${r.baseline.name}: ${formatValue(r.baseline.value)} ${r.unit} (x${(r.value / r.baseline.value).toFixed(2)})` : '';
      const goal = r.goal ? `  | goal ${r.goal}: ${r.met === undefined ? '?' : r.met ? 'met' : 'NOT met'}` : '';
      console.log(`${r.name.padEnd(48)} ${formatValue(r.value).padStart(10)} ${r.unit}${base}${goal}`);
    }
  } catch (err) {
    failed = true;
    console.error(`${file} failed:`, err);
  }
}

writeFileSync(join(dir, '..', 'bench-results.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results: all }, null, 2));
console.log(`\n${all.length} figures from ${files.length} benchmark files; written to bench-results.json`);
if (failed) process.exitCode = 1;
