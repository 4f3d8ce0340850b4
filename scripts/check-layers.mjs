// Enforces the one-way package layering (style guide rule 1) and package-core purity:
//  - each package may depend only on the packages to its left;
//  - every @unrolled/* import in src/ is declared in package.json (devDependencies only in tests);
//  - no Math.random and no Node built-ins (fs, path, …) in package sources, except the Node-only
//    entry points under src/node/ (published as a "/node" subpath);
//  - functions in the readable layers (rnn-core, train) fit on a screen: at most 60 lines each;
//  - informational: the largest source files (budget: 300 lines per kernel file, 500 for any file).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const ALLOWED = {
  linalg: [],
  gradcheck: ["linalg"],
  losses: ["linalg"],
  optimizers: ["linalg"],
  "rnn-core": ["linalg", "losses"],
  datasets: ["linalg"],
  train: ["linalg", "losses", "optimizers", "rnn-core", "datasets"],
  interop: ["linalg", "rnn-core"],
};
const DEV_ALLOWED = ["gradcheck", ...Object.keys(ALLOWED)];
/** Packages whose every function must fit on a screen (the style guide's 60 lines). */
const ON_A_SCREEN = { packages: ["rnn-core", "train"], lines: 60 };

/** [name, lines] of each function in `text` longer than `max` lines. */
function longFunctions(file, text, max) {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out = [];
  const visit = (n) => {
    const fn =
      ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n);
    if (fn && n.body) {
      const lines =
        sf.getLineAndCharacterOfPosition(n.end).line - sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
      const name =
        n.name?.getText(sf) ?? (ts.isVariableDeclaration(n.parent) ? n.parent.name.getText(sf) : "(anonymous)");
      if (lines > max) out.push([name, lines]);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const errors = [];
const sizes = [];
const walk = (dir) =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (n === "__fixtures__" || n === "node_modules") return [];
    return statSync(p).isDirectory() ? walk(p) : /\.ts$/.test(n) ? [p] : [];
  });

for (const name of readdirSync("packages").sort()) {
  const dir = join("packages", name);
  if (!existsSync(join(dir, "package.json"))) continue;
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const allowed = ALLOWED[name];
  if (!allowed) {
    errors.push(`${dir}: not in the layer table of scripts/check-layers.mjs; add it where it belongs`);
    continue;
  }
  const deps = Object.keys(pkg.dependencies ?? {})
    .filter((d) => d.startsWith("@unrolled/"))
    .map((d) => d.slice(10));
  const devDeps = Object.keys(pkg.devDependencies ?? {})
    .filter((d) => d.startsWith("@unrolled/"))
    .map((d) => d.slice(10));
  for (const d of deps)
    if (!allowed.includes(d))
      errors.push(`${dir}: depends on @unrolled/${d}, but may only use ${allowed.join(", ") || "nothing"}`);
  for (const d of devDeps)
    if (!DEV_ALLOWED.includes(d) || d === name) errors.push(`${dir}: devDependency @unrolled/${d} is not allowed`);
  for (const file of walk(join(dir, "src"))) {
    const text = readFileSync(file, "utf8");
    const isTest = /\.test\.ts$/.test(file) || file.includes("/__tests__/");

    const isNode = file.includes(`${join(dir, "src", "node")}/`);
    sizes.push([text.split("\n").length, relative(".", file)]);
    for (const m of text.matchAll(/from\s+"@unrolled\/([a-z-]+)/g)) {
      const d = m[1];
      if (d === name) continue;
      if (!(deps.includes(d) || (isTest && devDeps.includes(d))))
        errors.push(
          `${file}: imports @unrolled/${d}, which ${dir}/package.json does not declare${isTest ? "" : " as a dependency"}`,
        );
    }
    if (!isTest && /Math\.random\s*\(/.test(text)) errors.push(`${file}: calls Math.random; pass a seeded Rng instead`);
    if (!isTest && ON_A_SCREEN.packages.includes(name))
      for (const [fn, lines] of longFunctions(file, text, ON_A_SCREEN.lines))
        errors.push(`${file}: ${fn} is ${lines} lines; split it so it fits on a screen (≤ ${ON_A_SCREEN.lines})`);
    if (
      !isTest &&
      !isNode &&
      /from\s+"(node:)?(fs|path|os|child_process|worker_threads|url|crypto|http|https|net)(\/[a-z]+)?"/.test(text)
    ) {
      errors.push(`${file}: imports a Node built-in; package cores must run in browsers (move it under src/node/)`);
    }
  }
}

// no import cycles inside a package, type-only imports included: the drawing of the imports has floors
for (const name of readdirSync("packages").sort()) {
  const src = join("packages", name, "src");
  if (!existsSync(src)) continue;
  const files = walk(src).filter((f) => !/\.test\.ts$/.test(f) && !f.includes("/__tests__/"));
  const deps = new Map(
    files.map((f) => {
      const text = readFileSync(f, "utf8");
      const rel = [...text.matchAll(/from\s+"(\.{1,2}\/[^"]+)\.js"/g)].map((m) => join(f, "..", `${m[1]}.ts`));
      return [f, rel.filter((r) => files.includes(r))];
    }),
  );
  const state = new Map(); // 1: on the path, 2: done
  const path = [];
  const visit = (f) => {
    if (state.get(f) === 2) return;
    if (state.get(f) === 1) {
      const cycle = [...path.slice(path.indexOf(f)), f].map((x) => relative(src, x));
      errors.push(`${src}: import cycle ${cycle.join(" → ")}`);
      return;
    }
    state.set(f, 1);
    path.push(f);
    for (const d of deps.get(f) ?? []) visit(d);
    path.pop();
    state.set(f, 2);
  };
  for (const f of files) visit(f);
}

sizes.sort((a, b) => b[0] - a[0]);
console.log("largest package source files (budget 300 lines for kernels, 500 for any file):");
for (const [n, f] of sizes.slice(0, 5))
  console.log(`  ${String(n).padStart(4)} ${f}${n > 500 ? "  ← over budget" : ""}`);
if (errors.length > 0) {
  for (const e of errors) console.error(`layering: ${e}`);
  process.exit(1);
}
console.log("layering: ok");
