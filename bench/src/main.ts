/**
 * pnpm bench — W1–W7 and inference (docs/performance.md) for Unrolled, tfjs (wasm, cpu) and brain.js
 * (1.6.1, 2.0β) in one process, one after another with the same timing (warm-up, then the median of
 * several repeats), and PyTorch through bench/pytorch.py when Debian's python3-torch is installed.
 * Prints a table with the ratios the performance targets are stated in, and writes the numbers to
 * bench/reports/bench.json.
 *
 *   pnpm bench [--workload W1,W3] [--peers unrolled,tfjs-wasm] [--seconds 1] [--repeats 5] [--threads N] [--no-pytorch]
 *   pnpm bench --quality [--target 1.7] [--every 49] [--seed 0]    time to a validation loss (quality.ts)
 *
 * Benchmarks are not tests: nothing here asserts a time. Single figures move ±20% on a shared machine;
 * compare the ratios of one run.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { backendInfo, enableRelaxedSimd, setBackend, setThreads } from "@unrolled/linalg";
import {
  timeWorkload,
  WORKLOAD_IDS,
  WORKLOADS,
  type Workload,
  type WorkloadId,
  workloadFlops,
  workloadStep,
} from "@unrolled/train";
import { PEERS } from "./peers.js";
import { type QualitySide, runQuality } from "./quality.js";

const here = dirname(fileURLToPath(import.meta.url));
enableRelaxedSimd(); // as the CLI does: FMA kernels where the CPU has them

interface Row {
  readonly library: string;
  readonly version: string;
  readonly workload: WorkloadId;
  readonly throughput: number;
  readonly unit: string;
  readonly gflops: number;
  /** Growth of the JS heap plus external memory (typed arrays, WebAssembly) during the run, in MB. */
  readonly peakMemoryMB: number | null;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
function fail(message: string): never {
  console.error(`pnpm bench: ${message}`);
  process.exit(2);
}
const workloads = (arg("workload")?.split(",") ?? WORKLOAD_IDS) as WorkloadId[];
const peerNames = arg("peers")?.split(",");
const seconds = Number(arg("seconds") ?? 1);
const repeats = Number(arg("repeats") ?? 5);
const cores = Number(arg("threads") ?? backendInfo().threads); // threads for "unrolled"
for (const id of workloads)
  if (!WORKLOAD_IDS.includes(id))
    fail(`unknown workload ${JSON.stringify(id)}, expected some of ${WORKLOAD_IDS.join(", ")}`);
if (!(seconds > 0)) fail(`--seconds must be > 0, got ${arg("seconds")}`);
if (!(Number.isInteger(repeats) && repeats >= 1)) fail(`--repeats must be an integer ≥ 1, got ${arg("repeats")}`);
if (!(Number.isInteger(cores) && cores >= 1)) fail(`--threads must be an integer ≥ 1, got ${arg("threads")}`);

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

function fmt(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toPrecision(3);
}

/** Times one library on one workload, with its memory growth. `flops` is one iteration's count. */
function measure(library: string, version: string, w: Workload, step: () => void, flops: number): Row {
  gc();
  const base = memory();
  let peak = base;
  const r = timeWorkload(w, step, { seconds, repeats, onRepeat: () => (peak = Math.max(peak, memory())) });
  const perSecond = (r.gflops * 1e9) / workloadFlops(w); // iterations per second
  const gflops = (perSecond * flops) / 1e9;
  const row: Row = {
    library,
    version,
    workload: w.id,
    throughput: w.unit === "seq/s" ? perSecond * w.B : gflops,
    unit: w.unit,
    gflops,
    peakMemoryMB: (peak - base) / 2 ** 20,
  };
  console.error(`  ${library.padEnd(12)} ${w.id.padEnd(8)} ${fmt(row.throughput)} ${row.unit}`);
  return row;
}

/** A python3 that has torch: Debian's python3-torch lives under /usr/bin/python3, which a pyenv or venv python3 may shadow. */
function torchPython(): string | null {
  return ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["-c", "import torch"]).status === 0) ?? null;
}

/** bench/pytorch.py's rows, or null (with the reason on stderr) where PyTorch is not installed. */
function pytorch(): Row[] | null {
  const python = torchPython();
  if (python === null) {
    console.error("pnpm bench: no PyTorch column (bench/pytorch.py needs Debian's python3-torch)");
    return null;
  }
  const script = join(here, "..", "pytorch.py");
  const args = [
    "--json",
    "--workload",
    workloads.join(","),
    "--seconds",
    String(seconds),
    "--repeats",
    String(repeats),
  ];
  const r = spawnSync(python, [script, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) {
    console.error(`pnpm bench: bench/pytorch.py failed (exit ${r.status}); no PyTorch column`);
    return null;
  }
  const rows = r.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Omit<Row, "library" | "peakMemoryMB">);
  for (const row of rows)
    console.error(`  ${"pytorch".padEnd(12)} ${row.workload.padEnd(8)} ${fmt(row.throughput)} ${row.unit}`);
  return rows.map((x) => ({ ...x, library: "pytorch", peakMemoryMB: null }));
}

function report(rows: Row[]): void {
  const libs = [...new Set(rows.map((r) => r.library))];
  const get = (lib: string, id: WorkloadId) => rows.find((r) => r.library === lib && r.workload === id);
  const best = (prefix: string, id: WorkloadId) =>
    Math.max(0, ...rows.filter((r) => r.library.startsWith(prefix) && r.workload === id).map((r) => r.throughput));
  const ratio = (id: WorkloadId, other: number) => {
    const u = get("unrolled", id)?.throughput;
    return u && other > 0 ? `${(u / other).toFixed(u / other >= 10 ? 0 : 2)}×` : "—";
  };
  const head = ["workload", ...libs, "÷ best brain.js", "÷ tfjs-wasm", "÷ PyTorch"];
  const lines = workloads.map((id) => [
    `${id} (${WORKLOADS[id].unit})`,
    ...libs.map((l) => {
      const r = get(l, id);
      return r ? fmt(r.throughput) : "—";
    }),
    ratio(id, best("brain.js", id)),
    ratio(id, get("tfjs-wasm", id)?.throughput ?? 0),
    ratio(id, get("pytorch", id)?.throughput ?? 0),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...lines.map((l) => (l[c] as string).length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i] as number)).join(" | ")} |`;
  console.log(row(head));
  console.log(`|${widths.map((n) => "-".repeat(n + 2)).join("|")}|`);
  for (const l of lines) console.log(row(l));
  const mem = rows.filter((r) => r.library === "unrolled" && r.peakMemoryMB !== null);
  console.log(
    `\nunrolled memory growth during each run (heap + external): ${mem.map((r) => `${r.workload} ${(r.peakMemoryMB as number).toFixed(1)} MB`).join(", ")}`,
  );
  const machine = {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    node: process.version,
    threads: cores,
    fma: backendInfo().fma, // the relaxed-SIMD build (fused multiply-add) ran
  };
  console.log(
    `machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; float32${machine.fma ? " (unrolled with fused multiply-add)" : ""}; "unrolled" uses ${cores} thread(s) for large products, every other column one`,
  );
  const out = join(here, "..", "reports", "bench.json");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    `${out}.tmp`,
    `${JSON.stringify({ date: new Date().toISOString(), machine, seconds, repeats, rows }, null, 2)}\n`,
  );
  renameSync(`${out}.tmp`, out);
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const id of workloads) {
    const w = WORKLOADS[id];
    console.error(
      `${id} ${w.name}: D=${w.D} H=${w.H} O=${w.O} T=${w.T} B=${w.B}, ${w.train ? "training" : "inference"}`,
    );
    // this library as it runs by default (WebAssembly, every core for large products), on one thread,
    // and with the TypeScript kernels only
    for (const [name, backend, n] of [
      ["unrolled", "wasm", cores],
      ["unrolled 1T", "wasm", 1],
      ["unrolled-js", "js", 1],
    ] as const) {
      if (peerNames && !peerNames.includes(name)) continue;
      setBackend(backend);
      setThreads(n);
      rows.push(measure(name, "workspace", w, workloadStep(w, "float32"), workloadFlops(w)));
    }
    setBackend("wasm");
    setThreads(cores);
    for (const peer of PEERS) {
      if (peerNames && !peerNames.includes(peer.name)) continue;
      const why = peer.skip(w);
      if (why !== null) {
        console.error(`  ${peer.name.padEnd(12)} ${w.id.padEnd(8)} skipped: ${why}`);
        continue;
      }
      try {
        const run = await peer.setup(w);
        rows.push(measure(peer.name, peer.version, w, run.step, run.flops));
      } catch (e) {
        // caught here: tfjs-backend-wasm's emscripten handlers would print its whole source on an uncaught error
        console.error(`  ${peer.name.padEnd(12)} ${w.id.padEnd(8)} failed: ${(e as Error).message.split("\n")[0]}`);
      }
    }
  }
  const torch = process.argv.includes("--no-pytorch") ? null : pytorch();
  if (torch) rows.push(...torch);
  report(rows);
}

/** pnpm bench --quality: seconds of training until each side's validation loss reaches the target. */
async function quality(): Promise<void> {
  const target = Number(arg("target") ?? 1.7);
  const every = Number(arg("every") ?? 49);
  const seed = Number(arg("seed") ?? 0);
  if (!(target > 0)) fail(`--target must be a number > 0, got ${arg("target")}`);
  if (!(Number.isInteger(every) && every >= 1)) fail(`--every must be an integer ≥ 1, got ${arg("every")}`);
  if (!Number.isInteger(seed)) fail(`--seed must be an integer, got ${arg("seed")}`);
  const python = torchPython();
  if (python === null) console.error("pnpm bench: no PyTorch side (bench/quality.py needs Debian's python3-torch)");
  const script = join(here, "..", "quality.py");
  const r = await runQuality({ target, every, seed, python, script });
  const line = (s: QualitySide) => {
    const last = s.points[s.points.length - 1];
    const at = s.points.find((q) => q.validLoss <= target);
    return at
      ? `${s.library.padEnd(9)} ${at.trainSeconds.toFixed(1)} s of training, ${at.batches} batches (validation ${at.validLoss.toFixed(4)})`
      : `${s.library.padEnd(9)} not reached in ${last?.batches ?? 0} batches (best ${Math.min(...s.points.map((q) => q.validLoss)).toFixed(4)})`;
  };
  console.log(`time to a validation loss of ${target} nats/char (shakespeare-lstm, seed ${seed}):`);
  console.log(line(r.unrolled));
  if (r.pytorch) console.log(line(r.pytorch));
  const [u, t] = [r.unrolled.seconds, r.pytorch?.seconds ?? null];
  if (u !== null && t !== null) console.log(`÷ PyTorch: ${(t / u).toFixed(2)}× (PyTorch's seconds over Unrolled's)`);
  const out = join(here, "..", "reports", "quality.json");
  mkdirSync(dirname(out), { recursive: true });
  const machine = { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, node: process.version, threads: cores };
  writeFileSync(
    `${out}.tmp`,
    `${JSON.stringify({ date: new Date().toISOString(), machine, target, every, seed, ...r }, null, 2)}\n`,
  );
  renameSync(`${out}.tmp`, out);
}

if (process.argv.includes("--quality")) await quality();
else await main();
