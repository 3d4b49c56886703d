// Prints the suite's tally as one plain line ("Tests: N passed, N failed, N skipped").
import { existsSync, readFileSync } from 'node:fs';

const path = process.argv[2];
if (!existsSync(path)) {
  console.log(`Tests: no report at ${path}: vitest did not run (see the errors above)`);
} else {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  // A test file that fails to load has no failed test in it: count it as one failure.
  const brokenFiles = report.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
  ).length;
  const failed = report.numFailedTests + brokenFiles;
  console.log(`Tests: ${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
}
