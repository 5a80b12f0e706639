// Prints the test totals as one line, "N passed, N failed", from vitest's JSON report. A failure
// before the tests ran (install, typecheck, lint) counts as one failed check, so a red run can
// never print "0 failed".
import { existsSync, readFileSync } from 'node:fs';

const [, , file = 'test-results/vitest.json', statusArg = '0'] = process.argv;
const status = Number(statusArg);
let passed = 0;
let failed = 0;
if (existsSync(file)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (skipped > 0) console.log(`${skipped} tests skipped or todo`);
  // A test file that failed to load has no tests of its own but is still a failure.
  const brokenSuites = (report.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
  failed += brokenSuites;
}
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
