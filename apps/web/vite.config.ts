import { defineConfig } from "vite";
import { unrolledData } from "./vite-plugin-data.js";

export default defineConfig({
  base: "./",
  resolve: { conditions: ["@unrolled/source"] },
  worker: { format: "es" },
  plugins: [unrolledData()],
  build: { target: "es2022", sourcemap: true },
});
