// Prints the test totals as one line, "N passed, N failed", from vitest's JSON report and any
// further reports with the same count fields (the container check's test-results/container-check.json):
//   node scripts/test-summary.mjs <report.json> <exit status> [<report.json> <exit status>]...
// A failure before a report's checks ran (install, typecheck, lint, build) counts as one failed
// check, so a red run can never print "0 failed".
import { existsSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 0) args.push('test-results/vitest.json', '0');
let passed = 0;
let failed = 0;
for (let i = 0; i < args.length; i += 2) {
  const file = args[i];
  const status = Number(args[i + 1] ?? '0');
  let ownFailed = 0;
  if (existsSync(file)) {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    ownFailed = report.numFailedTests ?? 0;
    const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    if (skipped > 0) console.log(`${skipped} tests skipped or todo in ${file}`);
    // A test file that failed to load has no tests of its own but is still a failure.
    ownFailed += (report.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
  }
  if (status !== 0 && ownFailed === 0) ownFailed = 1;
  failed += ownFailed;
}
console.log(`${passed} passed, ${failed} failed`);
