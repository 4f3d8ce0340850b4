// The hostile-input sweep (docs/reliability.md): valid files made by the CLI itself, mutated from a
// seed (byte flips, truncations, JSON values swapped for huge, negative, non-finite, wrongly typed or
// deeply nested ones, keys dropped), each run through the commands that read it, as a user would (the
// built CLI, a fresh process, a 30 s limit). A case fails when the CLI
//   - exits 70 (an internal error, not a message about the input), or with a signal or a stack trace;
//   - runs over 30 s (a hang);
//   - changes an existing output file and then fails, or leaves a temporary file behind;
//   - writes a model file holding a non-finite number (null in JSON);
//   - opens a path a file names: every case directory holds a FIFO, `named.fifo`, that mutations put
//     where a file path (metadata.data.file) or any other string was; opening it for reading would
//     block, so a CLI that followed the name hangs and fails the case.
//   node scripts/fuzz/run.mjs [--cases N] [--seed S] [--keep DIR] [--source]
// (pnpm accept: 10,000 cases on the built CLI; CI: a few hundred with --source, the TypeScript itself)
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const argv = process.argv.slice(2);
const TSX = new URL("dist/loader.mjs", pathToFileURL(createRequire(import.meta.url).resolve("tsx/package.json"))).href;
const CLI = argv.includes("--source")
  ? ["--conditions=@unrolled/source", "--import", TSX, join(ROOT, "apps/cli/src/main.ts")]
  : [join(ROOT, "apps/cli/dist/main.js")];
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const CASES = Number(opt("cases", 300));
const SEED = Number(opt("seed", 1));
const KEEP = opt("keep", null);
const LIMIT_MS = 30_000;

/** A small seeded generator (mulberry32), so a failing case can be made again from its number. */
function rng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

function run(args, cwd) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, [...CLI, ...args], { cwd, env: { ...process.env, UNROLLED_DEBUG: "" } });
    let stderr = "";
    p.stderr.on("data", (d) => {
      if (stderr.length < 20_000) stderr += d;
    });
    p.stdout.on("data", () => {});
    const timer = setTimeout(() => p.kill("SIGKILL"), LIMIT_MS);
    p.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, ms: Date.now() - t0 });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// the seed files, made by the CLI

function makeSeeds(dir) {
  const csv = `date,y,x\n${Array.from({ length: 120 }, (_, i) => `2020-01-${String((i % 28) + 1).padStart(2, "0")},${Math.sin(i / 5).toFixed(4)},${(i % 7) / 7}`).join("\n")}\n`;
  writeFileSync(join(dir, "s.csv"), csv);
  writeFileSync(join(dir, "x.json"), JSON.stringify({ x: [[[0.1], [0.2], [0.3]]] }));
  const must = (args, status = 0) => {
    const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: dir, encoding: "utf8" });
    if (r.status !== status) throw new Error(`fuzz: making a seed failed: unrolled ${args.join(" ")}: ${r.stderr}`);
  };
  must(["train", "--preset", "sine", "--epochs", "2", "--hidden", "8", "--out", "m.json"]);
  must(["train", "--data", "s.csv", "--target", "y", "--epochs", "1", "--hidden", "4", "--out", "c.json"]);
  must(
    [
      "train",
      "--preset",
      "sine",
      "--epochs",
      "3",
      "--hidden",
      "4",
      "--interrupt-after",
      "2",
      "--checkpoint",
      "ck.json",
    ],
    130,
  );
  must([
    "train",
    "--preset",
    "shakespeare",
    "--epochs",
    "1",
    "--hidden",
    "8",
    "--batches-per-epoch",
    "2",
    "--out",
    "t.json",
  ]);
  writeFileSync(join(dir, "y.json"), JSON.stringify({ y: [[0.5]] }));
  must(["export", "--model", "m.json", "--format", "onnx", "--out", "m.onnx"]);
  must(["export", "--model", "m.json", "--format", "safetensors", "--out", "m.safetensors"]);
  writeFileSync(join(dir, "cfg.json"), JSON.stringify(JSON.parse(readFileSync(join(dir, "m.json"), "utf8")).config));
}

// what reads each kind of file: the command, with FILE for the mutated copy (outputs go to out.*)
const TARGETS = {
  "m.json": [
    ["eval", "--model", "FILE"],
    ["predict", "--model", "FILE", "--input", "x.json"],
    ["export", "--model", "FILE", "--format", "onnx", "--out", "out.onnx"],
    ["backprop", "--model", "FILE", "--input", "x.json", "--target", "y.json", "--loss", "mse"],
    ["gradcheck", "--model", "FILE", "--sample", "3"],
  ],
  "t.json": [
    ["generate", "--model", "FILE", "--length", "50"],
    ["eval", "--model", "FILE"],
  ],
  "c.json": [
    ["eval", "--model", "FILE", "--data", "s.csv", "--splits"],
    ["forecast", "--model", "FILE", "--data", "s.csv", "--steps", "3"],
  ],
  "ck.json": [["train", "--resume", "FILE", "--out", "out.json"]],
  "s.csv": [["train", "--data", "FILE", "--target", "y", "--epochs", "1", "--hidden", "4", "--out", "out.json"]],
  "x.json": [
    ["predict", "--model", "m.json", "--input", "FILE"],
    ["backprop", "--model", "m.json", "--input", "FILE", "--target", "y.json", "--loss", "mse"],
  ],
  "y.json": [["backprop", "--model", "m.json", "--input", "x.json", "--target", "FILE", "--loss", "mse"]],
  "m.onnx": [["import", "--from", "FILE", "--out", "out.json"]],
  "m.safetensors": [["import", "--from", "FILE", "--config", "cfg.json", "--out", "out.json"]],
  "cfg.json": [["import", "--from", "m.safetensors", "--config", "FILE", "--out", "out.json"]],
};

// ---------------------------------------------------------------------------------------------
// mutations

const HOSTILE = [
  1e9,
  -1,
  0,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 53 + 2,
  0.5,
  "1",
  "",
  null,
  true,
  [],
  {},
  "NaN",
  "/dev/zero",
  "named.fifo",
  1e-320,
];

function paths(v, at = [], out = []) {
  out.push(at);
  if (v !== null && typeof v === "object" && out.length < 5000)
    for (const k of Object.keys(v)) paths(v[k], [...at, Array.isArray(v) ? Number(k) : k], out);
  return out;
}
function getAt(root, path) {
  let o = root;
  for (const k of path) o = o?.[k];
  return o;
}
function setAt(root, path, value) {
  if (path.length === 0) return value;
  let o = root;
  for (const k of path.slice(0, -1)) o = o[k];
  const last = path[path.length - 1];
  if (value === undefined && !Array.isArray(o)) delete o[last];
  else o[last] = value;
  return root;
}
function deep(n) {
  return `${"[".repeat(n)}${"]".repeat(n)}`;
}

/** Puts the canary FIFO where a string was, and always where a model file names its data. */
function namePaths(v, r) {
  const strings = paths(v).filter((p) => typeof getAt(v, p) === "string");
  if (strings.length > 0) setAt(v, r.pick(strings), "named.fifo");
  if (v?.metadata && typeof v.metadata === "object")
    v.metadata.data = { ...(typeof v.metadata.data === "object" ? v.metadata.data : {}), file: "named.fifo" };
  return JSON.stringify(v);
}

function mutateJson(text, r) {
  const kind = r.int(7);
  if (kind === 6) return namePaths(JSON.parse(text), r);
  if (kind === 0) return text.slice(0, r.int(text.length)); // truncated
  if (kind === 1) {
    // a deep nest where a value was
    const v = JSON.parse(text);
    const p = r.pick(paths(v).slice(1));
    return JSON.stringify(setAt(v, p, "@@DEEP@@")).replace('"@@DEEP@@"', deep(5000 + r.int(20_000)));
  }
  if (kind === 2) {
    // a number no JSON.parse keeps finite, spliced into the text
    const numbers = [...text.matchAll(/-?\d+(\.\d+)?(e[+-]?\d+)?/g)];
    if (numbers.length === 0) return text;
    const m = r.pick(numbers);
    return (
      text.slice(0, m.index) + r.pick(["1e309", "-1e309", "1e400", "9".repeat(400)]) + text.slice(m.index + m[0].length)
    );
  }
  const v = JSON.parse(text);
  const all = paths(v).slice(1);
  if (all.length === 0) return text;
  for (let n = 1 + r.int(3); n > 0; n--) {
    const p = r.pick(all);
    try {
      // 3: a key dropped; 4: a hostile value; 5: another field's value (a shape where a number was, …)
      const other = () => structuredClone(getAt(v, r.pick(all)));
      setAt(v, p, kind === 3 ? undefined : kind === 4 ? r.pick(HOSTILE) : other());
    } catch {
      // the path went away with an earlier mutation
    }
  }
  return JSON.stringify(v);
}

function mutateBytes(bytes, r) {
  const b = Buffer.from(bytes);
  const kind = r.int(4);
  if (kind === 0) return b.subarray(0, r.int(b.length));
  if (kind === 1) {
    for (let n = 1 + r.int(8); n > 0; n--) b[r.int(b.length)] = r.int(256);
    return b;
  }
  if (kind === 2) {
    // a length field: 8 bytes near the start set to something large
    const at = r.int(Math.min(64, b.length - 8));
    b.writeBigUInt64LE(BigInt(r.pick([2 ** 31, 2 ** 40, 2 ** 53, b.length * 4])), at);
    return b;
  }
  const at = r.int(b.length);
  return Buffer.concat([b.subarray(0, at), b.subarray(at - Math.min(at, 64), at), b.subarray(at)]); // a repeat
}

function mutateCsv(text, r) {
  const lines = text.split("\n");
  const i = 1 + r.int(lines.length - 2);
  const kind = r.int(5);
  if (kind === 0)
    lines[i] = lines[i].replace(/[-\d.]+/, r.pick(["1e309", "1e200", "-1e160", "nan", "inf", "", "1,2,3"]));
  else if (kind === 1) lines[0] = r.pick(["", "y,y,x", "date,y", "\u0000,y", `${"a".repeat(100_000)},y,x`]);
  else if (kind === 2) return text.slice(0, r.int(text.length));
  else if (kind === 3) lines.splice(1, lines.length - 2 - r.int(3));
  else lines[i] = `"${lines[i]}`;
  return lines.join("\n");
}

function mutate(name, content, r) {
  if (name.endsWith(".csv")) return mutateCsv(content.toString("utf8"), r);
  if (name.endsWith(".json")) return mutateJson(content.toString("utf8"), r);
  return mutateBytes(content, r);
}

// ---------------------------------------------------------------------------------------------
// one case

async function oneCase(seeds, k) {
  const r = rng(SEED * 1_000_003 + k);
  const name = r.pick(Object.keys(TARGETS));
  const args = r.pick(TARGETS[name]);
  const dir = mkdtempSync(join(tmpdir(), "unrolled-fuzz-"));
  cpSync(seeds, dir, { recursive: true });
  spawnSync("mkfifo", [join(dir, "named.fifo")]); // the canary: reading it would block
  const mutated = mutate(name, readFileSync(join(seeds, name)), r);
  const file = `fuzz-${name}`;
  writeFileSync(join(dir, file), mutated);
  const out = args.find((a) => a.startsWith("out."));
  if (out) writeFileSync(join(dir, out), "existing"); // an output that must survive a failure
  const cmd = args.map((a) => (a === "FILE" ? file : a));
  const res = await run(cmd, dir);
  const problems = [];
  if (res.signal === "SIGKILL" && res.ms >= LIMIT_MS) problems.push("hang (over 30 s)");
  else if (res.signal) problems.push(`killed by ${res.signal}`);
  if (res.code === 70) problems.push(`internal error: ${res.stderr.trim().split("\n").pop()}`);
  if (/\n\s+at .+:\d+:\d+/.test(res.stderr)) problems.push("a stack trace");
  if (out) {
    const now = readFileSync(join(dir, out), "utf8");
    if (res.code !== 0 && now !== "existing") problems.push(`${out} changed by a failed run`);
    if (res.code === 0 && out.endsWith(".json") && /\bnull\b/.test(now) && !/"(h0|c0|lengths|bidirectional)"/.test(now))
      problems.push(`${out} holds null (a non-finite number)`);
  }
  const left = readdirSync(dir).filter((f) => f.includes(".unrolled-tmp-") || /\.tmp(-|$)/.test(f));
  if (left.length > 0) problems.push(`temporaries left: ${left.join(", ")}`);
  if (problems.length > 0 && KEEP)
    cpSync(dir, join(KEEP, `case-${k}`), { recursive: true, filter: (f) => !f.endsWith("named.fifo") });
  rmSync(dir, { recursive: true, force: true });
  return { k, name, cmd, code: res.code, ms: res.ms, problems, stderr: res.stderr.trim().split("\n").pop() ?? "" };
}

async function main() {
  if (!existsSync(CLI[CLI.length - 1]))
    throw new Error(`fuzz: ${CLI[CLI.length - 1]} is missing; run pnpm build first`);
  const seeds = mkdtempSync(join(tmpdir(), "unrolled-fuzz-seeds-"));
  makeSeeds(seeds);
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < CASES) results.push(await oneCase(seeds, next++));
  };
  await Promise.all([worker(), worker()]);
  rmSync(seeds, { recursive: true, force: true });
  const failed = results.filter((x) => x.problems.length > 0);
  const exits = {};
  for (const x of results) exits[x.code] = (exits[x.code] ?? 0) + 1;
  const slowest = Math.max(...results.map((x) => x.ms));
  for (const f of failed.slice(0, 40))
    console.log(`FAIL case ${f.k} (${f.name}): unrolled ${f.cmd.join(" ")}: ${f.problems.join("; ")}`);
  console.log(
    `fuzz: ${results.length} cases (seed ${SEED}); exit codes ${JSON.stringify(exits)}; slowest ${(slowest / 1000).toFixed(1)} s; ${failed.length} failed`,
  );
  process.exit(failed.length > 0 ? 1 : 0);
}

await main();
