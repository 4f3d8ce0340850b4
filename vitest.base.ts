import { defineConfig } from "vitest/config";

/**
 * The one test config every package shares. Workspace siblings resolve to their `src/` through the
 * `@unrolled/source` export condition, so `pnpm --filter @unrolled/<name> test` needs no build.
 *
 * Timeouts have headroom for a 2-core laptop that is doing other things while turbo runs several
 * packages' suites side by side: a test that takes 2 s on a quiet machine may take 10 s there.
 * Heavy property tests run a few hundred cases here; `UNROLLED_LONG_TESTS=1` runs their long
 * versions (10,000 cases), which `pnpm accept` does (CONTRIBUTING.md).
 */
export const base = defineConfig({
  resolve: { conditions: ["@unrolled/source"] },
  ssr: { resolve: { conditions: ["@unrolled/source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest.json" },
  },
});
