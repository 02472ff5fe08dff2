import type { Reporter, TestModule } from "vitest/node";

// Prints one plain closing line ("unit: N passed, N failed, N skipped") after vitest's own output.
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const n = { passed: 0, failed: 0, skipped: 0 };
    for (const mod of testModules) {
      if (mod.state() === "failed" && [...mod.children.allTests()].length === 0) n.failed++; // suite failed to load
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") n.passed++;
        else if (state === "failed") n.failed++;
        else n.skipped++;
      }
    }
    setImmediate(() => console.log(`${process.env.TEST_SUITE ?? "unit"}: ${n.passed} passed, ${n.failed} failed, ${n.skipped} skipped`));
  }
}
