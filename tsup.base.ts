import type { Options } from "tsup";

/** The one build config every package shares: ESM + CJS + .d.ts, ES2020, sourcemaps. */
export const base: Options = {
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  target: "es2020",
  clean: true,
  splitting: false,
};
