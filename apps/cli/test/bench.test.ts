import { describe, expect, it } from "vitest";
import { cli, expectOneLineError } from "./helpers.js";

// `unrolled bench` prints a measurement; these check its shape and its errors, never a time.
describe("unrolled bench", () => {
  it("--json prints one object with the workload, throughput, unit, GFLOP/s and how it ran", () => {
    const r = cli(["bench", "--workload", "W1", "--seconds", "0.05", "--repeats", "1", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ workload: "W1", unit: "seq/s", dtype: "float32", backend: "wasm" });
    expect(out.throughput).toBeGreaterThan(0);
    expect(out.gflops).toBeGreaterThan(0);
    expect(out.peakMemoryMB).toBeGreaterThan(0);
  });

  it("runs on the TypeScript kernels with --backend js, and in float64", () => {
    const r = cli([
      "--backend",
      "js",
      "bench",
      "--workload",
      "INF",
      "--dtype",
      "float64",
      "--seconds",
      "0.05",
      "--repeats",
      "1",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^INF W3 inference \(RNN, D=8 H=256 O=1 T=50 B=32, inference, float64\): [\d.]+ GFLOP\/s, .*TypeScript kernels/,
    );
  });

  it("times the gated cells: W7, an LSTM's update, and INF-LSTM, its forward", () => {
    for (const workload of ["W7", "INF-LSTM"]) {
      const r = cli(["bench", "--workload", workload, "--seconds", "0.05", "--repeats", "1", "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ workload, unit: "seq/s" });
    }
  });

  for (const [args, message] of [
    [["bench"], "required option '--workload <id>' not specified"],
    [["bench", "--workload", "W9"], `expected one of W1, W2, W3, W4, INF, W5, W6, W7, INF-LSTM, got "W9"`],
    [["bench", "--workload", "W1", "--seconds", "0"], `expected a number > 0, got "0"`],
    [["--threads", "0", "bench", "--workload", "W1"], `expected an integer ≥ 1 and ≤ 64, got "0"`],
    [["--backend", "gpu", "bench", "--workload", "W1"], `expected one of wasm, js, got "gpu"`],
  ] as const) {
    it(`rejects ${args.join(" ")} with one line`, () => {
      expect(expectOneLineError(cli(args))).toContain(message);
    });
  }
});
