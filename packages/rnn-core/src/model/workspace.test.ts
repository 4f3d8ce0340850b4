import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  backendInfo,
  ConfigError,
  createRng,
  type DType,
  type FloatArray,
  fromArray,
  setBackend,
  setThreads,
  tensor3,
} from "@unrolled/linalg";
import { afterEach, describe, expect, it } from "vitest";
import { type CellKind, modelConfig } from "../config.js";
import { initParams } from "../params/init.js";
import { allocateParams } from "../params/params.js";
import { backprop } from "./loss.js";
import { modelBackward, modelForward } from "./model.js";
import { Workspace } from "./workspace.js";

/** Updates in the heap check: 3,000 in CI (a leak of 100 bytes each shows), 10,000 with UNROLLED_LONG_TESTS=1. */
const UPDATES = process.env.UNROLLED_LONG_TESTS === "1" ? 10_000 : 3_000;

/** θ ← θ − η·g (the optimizers live in another package). */
function sgd(theta: FloatArray, g: FloatArray, lr: number): void {
  for (let i = 0; i < theta.length; i++) theta[i] = (theta[i] as number) - lr * (g[i] as number);
}

afterEach(() => {
  setBackend("wasm");
  setThreads(backendInfo().threads);
});

/** A 2-layer bidirectional model big enough that its weight gradients are split across threads. */
function problem(cell: CellKind, dtype: DType) {
  const [B, T, D, H] = [16, 20, 5, 64];
  const config = modelConfig({
    cell,
    inputSize: D,
    hiddenSize: H,
    numLayers: 2,
    bidirectional: true,
    returnSequences: true,
    head: { outputSize: 3, activation: "identity" },
  });
  const rng = createRng(4);
  const p = initParams(allocateParams(config, dtype), { rng });
  const xs = rng.fillNormal(new Float64Array(B * T * D));
  const x = tensor3(B, T, D, dtype === "float32" ? Float32Array.from(xs) : xs);
  const ys = rng.fillNormal(new Float64Array(B * T * 3));
  const target = fromArray(ys, B * T, 3, dtype);
  const run = () => {
    const g = allocateParams(config, dtype);
    const r = backprop(p, x, target, { kind: "mse" }, g);
    return { y: Array.from(r.y.data), g: Array.from(g.flat), dx: Array.from(r.dx?.data ?? []), loss: r.loss };
  };
  return { run };
}

describe("the backends agree", () => {
  for (const cell of ["rnn", "lstm", "gru"] as const) {
    it(`${cell}, float64: outputs, every gradient and ∂L/∂x are bit-identical in TypeScript, WebAssembly, and WebAssembly on 2 threads`, async () => {
      const pr = problem(cell, "float64");
      setBackend("js");
      const js = pr.run();
      setBackend("wasm");
      setThreads(1);
      expect(pr.run()).toEqual(js);
      setThreads(2);
      // until the helper thread (which starts asynchronously, slowly on a busy machine) has computed part of a product
      for (let t0 = Date.now(); Date.now() - t0 < 30_000 && backendInfo().helperBands === 0; ) {
        expect(pr.run()).toEqual(js);
        await new Promise((r) => setTimeout(r, 1));
      }
      expect(backendInfo().helperBands).toBeGreaterThan(0);
      expect(pr.run()).toEqual(js);
    });

    it(`${cell}, float32: WebAssembly agrees with TypeScript to float32 rounding`, () => {
      const pr = problem(cell, "float32");
      setBackend("js");
      const js = pr.run();
      setBackend("wasm");
      const wasm = pr.run();
      for (const k of ["y", "g", "dx"] as const) {
        let [err, scale] = [0, 0];
        for (const [i, v] of wasm[k].entries()) {
          err = Math.max(err, Math.abs(v - (js[k][i] as number)));
          scale = Math.max(scale, Math.abs(js[k][i] as number));
        }
        expect(err / scale).toBeLessThan(2e-5);
      }
    });
  }
});

describe("the workspace", () => {
  const config = modelConfig({ inputSize: 2, hiddenSize: 8, head: { outputSize: 1, activation: "identity" } });
  const p = initParams(allocateParams(config), { rng: createRng(1) });
  const x = tensor3(3, 6, 2, createRng(2).fillNormal(new Float64Array(36)));

  it("a backward after a later forward on the same workspace is a ConfigError, not a wrong gradient", () => {
    const first = modelForward(p, x);
    modelForward(p, x);
    const dy = fromArray(new Float64Array(3), 3, 1);
    expect(() => modelBackward(first.cache, dy, allocateParams(config))).toThrow(ConfigError);
    expect(() => modelBackward(first.cache, dy, allocateParams(config))).toThrow(/used by a later modelForward/);
    // with a workspace each, both backwards are fine
    const [w1, w2] = [new Workspace(config, "float64"), new Workspace(config, "float64")];
    const a = modelForward(p, x, { workspace: w1 });
    modelForward(p, x, { workspace: w2 });
    expect(() => modelBackward(a.cache, dy, allocateParams(config))).not.toThrow();
    expect(() => modelForward(p, x, { workspace: new Workspace(config, "float32") })).toThrow(ConfigError);
  });

  it(`${UPDATES} updates leave the heap and the WebAssembly memory where they were`, () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const g = allocateParams(config);
    const target = fromArray(createRng(3).fillNormal(new Float64Array(3)), 3, 1);
    const update = () => {
      g.flat.fill(0);
      backprop(p, x, target, { kind: "mse" }, g, { inputGradient: false });
      sgd(p.flat, g.flat, 1e-3);
    };
    for (let i = 0; i < 1000; i++) update(); // warm: JIT, workspace, pools
    gc();
    const [heap, wasm] = [process.memoryUsage().heapUsed, backendInfo().wasmBytes];
    for (let i = 0; i < UPDATES; i++) update();
    gc();
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(256 * 1024); // no per-update leak
    expect(backendInfo().wasmBytes).toBe(wasm);
  });

  it("a single 7,000-step sequence trains (no recursion; memory linear in T)", () => {
    const c = modelConfig({ inputSize: 1, hiddenSize: 8, head: { outputSize: 1, activation: "identity" } });
    const q = initParams(allocateParams(c, "float32"), { rng: createRng(5) });
    const T = 7000;
    const wave = Float32Array.from({ length: T + 1 }, (_, t) => Math.sin(0.05 * t));
    const x = tensor3(1, T, 1, wave.subarray(0, T));
    const target = fromArray(wave.subarray(T), 1, 1, "float32");
    const g = allocateParams(c, "float32");
    const losses: number[] = [];
    for (let i = 0; i < 20; i++) {
      g.flat.fill(0);
      losses.push(backprop(q, x, target, { kind: "mse" }, g, { inputGradient: false }).loss);
      expect(g.flat.every(Number.isFinite)).toBe(true);
      sgd(q.flat, g.flat, 0.05);
    }
    expect(losses[19]).toBeLessThan(losses[0] as number);
    // the buffers: about (T+1)·B·H floats per buffer, so 10× the steps is 10× the memory
    const size = (steps: number) => {
      const ws = new Workspace(c, "float32");
      ws.layout(1, steps);
      const n = ws.capacity;
      ws.dispose();
      return n;
    };
    expect(size(7000) / size(700)).toBeGreaterThan(9.5);
    expect(size(7000) / size(700)).toBeLessThan(10.05);
  });
});
