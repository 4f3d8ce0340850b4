import { defineConfig } from "vite";
import { unrolledData } from "./vite-plugin-data.js";

/**
 * Cross-origin isolation lets the training worker use @unrolled/linalg's WebAssembly kernels (which
 * need shared memory) and their helper threads; without it they fall back to TypeScript. A static
 * host must send the same two headers for the fast path.
 */
const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig({
  base: "./",
  server: { headers: isolation },
  preview: { headers: isolation },
  resolve: { conditions: ["@unrolled/source"] },
  worker: { format: "es" },
  plugins: [unrolledData()],
  build: { target: "es2022", sourcemap: true },
});
