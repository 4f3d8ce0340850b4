// The Quick start's main job. Until the CLI lands: run every package's README example (after setup
// has built the packages) and show what each prints.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

for (const name of readdirSync("packages").sort()) {
  const example = join("packages", name, "examples", "readme.ts");
  if (!existsSync(example)) continue;
  console.log(`\n── @unrolled/${name}: ${example}`);
  execFileSync(process.execPath, ["--import", "tsx", example], { stdio: "inherit" });
}
