import { defineConfig, mergeConfig } from "vitest/config";
import { base } from "../../vitest.base.js";

// CLI tests spawn the real command (a child process each, some training for seconds): more room on 2 busy cores.
export default mergeConfig(base, defineConfig({ test: { testTimeout: 120_000 } }));
