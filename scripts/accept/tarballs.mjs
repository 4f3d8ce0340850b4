// Acceptance (the "your own data" issue): what a new user gets from npm. Packs every public package
// (after a build), installs only those tarballs into an empty project, then there:
//   npx unrolled train --preset sine --out m.json      (paths relative to the project)
//   the README's Model examples (regression, classification of variable-length sequences, text)
// and checks each prints what the README shows.
//   node scripts/accept/tarballs.mjs
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const dataDir = process.env.UNROLLED_DATA_DIR ?? join(root, "../shared/data");
const run = (cmd, args, cwd, env = {}) => {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
};

execFileSync("pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"], { cwd: root, stdio: "inherit" });
const packs = mkdtempSync(join(tmpdir(), "unrolled-tarballs-"));
const dirs = [...readdirSync(join(root, "packages")).map((d) => join(root, "packages", d)), join(root, "apps/cli")];
for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (pkg.private) continue;
  run("pnpm", ["pack", "--pack-destination", packs], dir);
}
const tarballs = readdirSync(packs)
  .filter((f) => f.endsWith(".tgz"))
  .map((f) => join(packs, f));
console.log(`packed ${tarballs.length} packages into ${packs}`);

const project = mkdtempSync(join(tmpdir(), "unrolled-fresh-"));
writeFileSync(join(project, "package.json"), JSON.stringify({ name: "fresh", private: true, type: "module" }));
run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs], project, {
  ONNXRUNTIME_NODE_INSTALL: "skip",
});
console.log(`installed them into an empty project: ${project}`);

let failed = 0;
const check = (what, ok, detail = "") => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${detail ? `: ${detail}` : ""}`);
  if (!ok) failed++;
};

mkdirSync(join(project, "work"));
const train = spawnSync("npx", ["unrolled", "train", "--preset", "sine", "--out", "m.json"], {
  cwd: join(project, "work"),
  encoding: "utf8",
});
check(
  "npx unrolled train --preset sine --out m.json",
  train.status === 0 && existsSync(join(project, "work", "m.json")),
  train.stderr.trim().split("\n").pop(),
);
const predict = spawnSync("npx", ["unrolled", "eval", "--model", "m.json", "--json"], {
  cwd: join(project, "work"),
  encoding: "utf8",
});
check(
  "npx unrolled eval --model m.json (a relative path, in the caller's directory)",
  predict.status === 0,
  predict.stderr.trim(),
);

// the README examples, as files of the fresh project, run with plain node
const examples = JSON.parse(readFileSync(join(root, "examples/model/expected.json"), "utf8"));
for (const [file, expected] of Object.entries(examples)) {
  copyFileSync(join(root, "examples/model", file), join(project, file));
  const r = spawnSync(process.execPath, [file], {
    cwd: project,
    encoding: "utf8",
    env: { ...process.env, UNROLLED_DATA_DIR: dataDir },
  });
  check(
    `node ${file} prints what the README shows`,
    r.status === 0 && r.stdout === expected,
    r.status === 0 ? r.stdout.slice(0, 200) : r.stderr.slice(0, 300),
  );
}
console.log(`\ntarballs: ${failed === 0 ? "every check passed" : `${failed} failed`} (project ${project})`);
process.exit(failed > 0 ? 1 : 0);
