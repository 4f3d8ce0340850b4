import { defineConfig } from "tsup";

// The command as one ES module with a shebang; its dependencies (the @unrolled packages, commander,
// vega, resvg) stay imports, installed beside it by npm.
export default defineConfig({
  entry: { main: "src/main.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  splitting: false,
  banner: { js: "#!/usr/bin/env node" },
});
