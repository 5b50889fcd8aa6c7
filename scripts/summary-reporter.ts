/**
 * Prints one plain closing line, "Tests: N passed, N failed[, N skipped]", after vitest's own
 * summary, so any CI log reader can count the run without knowing vitest's format.
 */
import type { Reporter } from "vitest/reporters";
import type { RunnerTask, RunnerTestFile } from "vitest";

function count(tasks: readonly RunnerTask[], acc: { passed: number; failed: number; skipped: number }): void {
  for (const t of tasks) {
    if (t.type === "test") {
      const s = t.result?.state;
      if (s === "pass") acc.passed++;
      else if (s === "fail") acc.failed++;
      else acc.skipped++;
    } else if ("tasks" in t) {
      count(t.tasks, acc);
    }
  }
}

export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const acc = { passed: 0, failed: 0, skipped: 0 };
    count(files, acc);
    // A file that failed to load, or an unhandled error, counts as a failure.
    for (const f of files) if (f.result?.state === "fail" && f.tasks.length === 0) acc.failed++;
    acc.failed += errors.length;
    process.stdout.write(`\nTests: ${acc.passed} passed, ${acc.failed} failed${acc.skipped ? `, ${acc.skipped} skipped` : ""}\n`);
  }
}
