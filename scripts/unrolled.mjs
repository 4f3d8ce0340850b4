// `pnpm -s unrolled …` anywhere in the repository: the CLI from its TypeScript source (no build needed),
// run in the directory you called it from, so relative paths mean what you typed. (`npx unrolled` runs
// the built package the same way.)
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const main = fileURLToPath(new URL("../apps/cli/src/main.ts", import.meta.url));
const tsx = new URL("dist/loader.mjs", pathToFileURL(createRequire(import.meta.url).resolve("tsx/package.json"))).href;
process.on("SIGINT", () => {}); // Ctrl-C reaches the command too, which writes its checkpoint and exits
const r = spawnSync(
  process.execPath,
  ["--conditions=@unrolled/source", "--import", tsx, main, ...process.argv.slice(2)],
  {
    stdio: "inherit",
    cwd: process.env.INIT_CWD ?? process.cwd(),
  },
);
process.exit(r.status ?? (r.signal ? 128 + 2 : 1));
