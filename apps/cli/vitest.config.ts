import { defineConfig, mergeConfig } from "vitest/config";
import { base } from "../../vitest.base.js";

// CLI tests spawn the real command (a child process each), so give them room on 2 cores.
export default mergeConfig(base, defineConfig({ test: { testTimeout: 60_000 } }));
