/**
 * Bundles the real datasets with the demo at build time, from $UNROLLED_DATA_DIR (never committed):
 * each registry file found there is emitted as `data/<file>`, plus `data/index.json` listing them. In
 * dev the same paths are served straight from the folder. Files are checked against the registry's
 * sha256 first, so a build never ships a wrong copy.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Plugin } from "vite";
// the registry itself (plain data), read from source so that `vite dev` needs no build of the packages
import { DATASETS } from "../../packages/datasets/src/registry.js";

function found(): { file: string; path: string }[] {
  const dir = process.env.UNROLLED_DATA_DIR;
  if (!dir) return [];
  return DATASETS.flatMap((d) => {
    const path = join(dir, d.file);
    if (!existsSync(path)) return [];
    const sha = createHash("sha256").update(readFileSync(path)).digest("hex");
    if (sha !== d.sha256)
      throw new Error(`${path}: sha256 ${sha.slice(0, 16)}… does not match the registry's ${d.sha256.slice(0, 16)}…`);
    return [{ file: d.file, path }];
  });
}

export function unrolledData(): Plugin {
  return {
    name: "unrolled-data",
    configureServer(server) {
      const files = found();
      server.middlewares.use((req, res, next) => {
        const m = /^\/data\/(.+)$/.exec(req.url ?? "");
        if (!m) return next();
        if (m[1] === "index.json") {
          res.setHeader("content-type", "application/json");
          return res.end(JSON.stringify({ files: files.map((f) => f.file) }));
        }
        const f = files.find((x) => x.file === m[1]);
        if (!f) return next();
        res.setHeader("content-type", "text/plain; charset=utf-8");
        res.end(readFileSync(f.path));
      });
    },
    generateBundle() {
      const files = found();
      for (const f of files) this.emitFile({ type: "asset", fileName: `data/${f.file}`, source: readFileSync(f.path) });
      this.emitFile({
        type: "asset",
        fileName: "data/index.json",
        source: JSON.stringify({ files: files.map((f) => f.file) }),
      });
    },
  };
}
