import type { Reporter, TestModule } from "vitest/node";

// Prints one plain closing line ("unit: N passed, N failed, N skipped") after vitest's own output; the layer's
// name comes from TEST_SUITE. A file that failed without a failing test (it did not load, or a hook failed and
// its tests were never run) counts as one failure, so the line never hides a broken file.
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const n = { passed: 0, failed: 0, skipped: 0 };
    for (const mod of testModules) {
      const tests = [...mod.children.allTests()];
      for (const test of tests) {
        const state = test.result().state;
        if (state === "passed") n.passed++;
        else if (state === "failed") n.failed++;
        else n.skipped++;
      }
      if (mod.state() === "failed" && !tests.some((t) => t.result().state === "failed")) n.failed++;
    }
    setImmediate(() => console.log(`${process.env.TEST_SUITE ?? "unit"}: ${n.passed} passed, ${n.failed} failed, ${n.skipped} skipped`));
  }
}
