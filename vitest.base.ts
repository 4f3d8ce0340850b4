import { defineConfig } from "vitest/config";

/**
 * The one test config every package shares. Workspace siblings resolve to their `src/` through the
 * `@unrolled/source` export condition, so `pnpm --filter @unrolled/<name> test` needs no build.
 */
export const base = defineConfig({
  resolve: { conditions: ["@unrolled/source"] },
  ssr: { resolve: { conditions: ["@unrolled/source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    reporters: ["default", "json"],
    outputFile: { json: "reports/vitest.json" },
  },
});
