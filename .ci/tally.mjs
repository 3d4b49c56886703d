// Prints the suite's tally as one plain line ("Tests: N passed, N failed, N skipped").
import { existsSync, readFileSync } from 'node:fs';

const path = process.argv[2];
if (!existsSync(path)) {
  console.log(`Tests: no report at ${path}: vitest did not run (see the errors above)`);
} else {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(
    `Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`,
  );
}
