// Sums the vitest and Playwright JSON reports of every package, app and examples/, and prints, as the very last
// line, "N passed, N failed". Arguments name steps that failed outside any test runner (lint, build,
// typecheck, …); each counts as one failure. A package whose test script produced no report (because
// its build failed, say) also counts as a failure, so a broken run can never look green.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
const dirs = ["packages", "apps"].flatMap((g) =>
  existsSync(g)
    ? readdirSync(g)
        .sort()
        .map((n) => join(g, n))
    : [],
);
dirs.push("examples");
for (const dir of dirs) {
  const pkgFile = join(dir, "package.json");
  if (!existsSync(pkgFile)) continue;
  const scripts = JSON.parse(readFileSync(pkgFile, "utf8")).scripts ?? {};
  const expected = [scripts.test && "vitest.json", scripts.e2e && "e2e.json"].filter(Boolean);
  for (const file of expected) {
    const path = join(dir, "reports", file);
    if (!existsSync(path)) {
      console.log(`${path}: missing (the step did not run) — counted as 1 failed`);
      failed += 1;
      continue;
    }
    const r = JSON.parse(readFileSync(path, "utf8"));
    const [p, x, s] = r.stats
      ? [r.stats.expected + r.stats.flaky, r.stats.unexpected, r.stats.skipped] // Playwright
      : [r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests]; // vitest
    // a test file that failed to load has no tests in it but is still a failure
    const broken = r.stats
      ? (r.errors?.length ?? 0)
      : (r.testResults ?? []).filter((t) => t.status === "failed" && t.assertionResults.length === 0).length;
    console.log(`${path}: ${p} passed, ${x + broken} failed, ${s} skipped`);
    for (const line of failures(r)) console.log(`  ✗ ${line}`);
    passed += p;
    failed += x + broken;
    skipped += s;
  }
}
/** One line per failed vitest test (file › title: the first line of its message), so CI's tail names it. */
function failures(report) {
  if (report.stats) return []; // Playwright prints its failures above
  const lines = [];
  for (const file of report.testResults ?? []) {
    const name = file.name.split("/").slice(-2).join("/");
    if (file.status === "failed" && file.assertionResults.length === 0)
      lines.push(`${name}: ${firstLine(file.message)}`);
    for (const t of file.assertionResults)
      if (t.status === "failed") lines.push(`${name} › ${t.title}: ${firstLine(t.failureMessages?.[0])}`);
  }
  return lines;
}

function firstLine(message) {
  return String(message ?? "")
    .split("\n")[0]
    .slice(0, 300);
}

for (const step of process.argv.slice(2)) {
  console.log(`step "${step}" failed — counted as 1 failed`);
  failed += 1;
}
if (skipped > 0) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
