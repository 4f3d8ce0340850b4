/** `unrolled bench`: one performance workload with this library (docs/performance.md). */
import type { Command } from "@commander-js/extra-typings";
import { backendInfo } from "@unrolled/linalg";
import { benchmark, WORKLOAD_IDS, WORKLOADS } from "@unrolled/train";
import { choice, DTYPES, int, positive } from "../options.js";

export function registerBench(program: Command): void {
  program
    .command("bench")
    .description(
      "time one workload of docs/performance.md (W1–W7, INF, INF-LSTM); `pnpm bench` compares with the peers",
    )
    .requiredOption("--workload <id>", `one of ${WORKLOAD_IDS.join(", ")}`, choice(WORKLOAD_IDS))
    .option("--dtype <dtype>", "float32 (as the peers) or float64", choice(DTYPES), "float32" as const)
    .option("--seconds <s>", "seconds per timed repeat", positive(), 1)
    .option("--repeats <n>", "timed repeats; the median is reported", int(1, 1000), 5)
    .option("--json", "one JSON object: workload, throughput, unit, gflops, and how it ran")
    .action((o) => {
      const w = WORKLOADS[o.workload];
      const r = benchmark(o.workload, { dtype: o.dtype, seconds: o.seconds, repeats: o.repeats });
      const b = backendInfo();
      const peakMemoryMB = process.resourceUsage().maxRSS / 1024; // the whole process's peak RSS
      const kernels = b.name === "wasm" ? "wasm" : "js";
      if (o.json) {
        const out = { workload: r.workload, throughput: r.throughput, unit: r.unit, gflops: r.gflops, peakMemoryMB };
        process.stdout.write(
          `${JSON.stringify({ ...out, dtype: o.dtype, backend: kernels, threads: b.threads, iterationsPerSecond: r.samples })}\n`,
        );
        return;
      }
      const value = r.unit === "seq/s" ? Math.round(r.throughput).toLocaleString("en-US") : r.throughput.toFixed(2);
      console.log(
        `${w.id} ${w.name} (${w.cell.toUpperCase()}, D=${w.D} H=${w.H} O=${w.O} T=${w.T} B=${w.B}, ${w.train ? "training" : "inference"}, ${o.dtype}): ` +
          `${value} ${r.unit}, ${r.gflops.toFixed(2)} GFLOP/s; median of ${o.repeats} × ${o.seconds} s; ` +
          `${kernels === "wasm" ? `WebAssembly SIMD${b.fma ? " with FMA" : ""}, ${b.threads} thread${b.threads > 1 ? "s" : ""}` : "TypeScript kernels"}; ` +
          `peak memory ${peakMemoryMB.toFixed(0)} MB`,
      );
    });
}
