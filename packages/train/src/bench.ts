/**
 * The performance workloads of docs/performance.md (from the project's targets): one recurrent layer
 * (an Elman RNN for W1–W4 and INF, an LSTM or a GRU for W5–W7 and INF-LSTM) with a linear head,
 * plain SGD at lr 0.01, one update per batch, float32 by default. `benchmark` times one
 * of them with this library; the harness in bench/ runs the same workloads with the JavaScript peers,
 * and bench/pytorch.py with PyTorch.
 *
 * Throughput is sequences per second, or GFLOP/s for W3 and INF, counting a forward as
 * 2·B·T·G·(D·H + H·H) with G the cell's gate blocks (1 for the RNN, 3 for the GRU, 4 for the LSTM)
 * and an update as three forwards (the backward costs about two).
 */
import { createRng, type DType, type FloatArray, fromArray, type Matrix, tensor3 } from "@unrolled/linalg";
import { createOptimizer } from "@unrolled/optimizers";
import {
  allocateParams,
  backprop,
  type CellKind,
  initParams,
  type LossSpec,
  type ModelInput,
  modelConfig,
  modelForward,
  type Target,
} from "@unrolled/rnn-core";

export type WorkloadId = "W1" | "W2" | "W3" | "W4" | "INF" | "W5" | "W6" | "W7" | "INF-LSTM";
export const WORKLOAD_IDS: readonly WorkloadId[] = ["W1", "W2", "W3", "W4", "INF", "W5", "W6", "W7", "INF-LSTM"];

export interface Workload {
  readonly id: WorkloadId;
  readonly name: string;
  readonly cell: CellKind;
  readonly D: number;
  readonly H: number;
  readonly O: number;
  readonly T: number;
  readonly B: number;
  /** "all": a loss at every step (many-to-many); "last": at the last step only. */
  readonly output: "all" | "last";
  readonly loss: "mse" | "ce";
  /** What the inputs are: normal noise, a sine wave, or one-hot random characters. */
  readonly data: "normal" | "sine" | "chars";
  /** false: forward only (inference). */
  readonly train: boolean;
  readonly unit: "seq/s" | "GFLOP/s";
}

/** W3's shape, shared by its inference twin and the gated cells' W6, W7 and INF-LSTM. */
const BATCHED = { D: 8, H: 256, O: 1, T: 50, B: 32, output: "last", loss: "mse", data: "normal" } as const;

export const WORKLOADS: Readonly<Record<WorkloadId, Workload>> = {
  W1: {
    id: "W1",
    name: "weather-tiny",
    cell: "rnn",
    D: 3,
    H: 5,
    O: 1,
    T: 13,
    B: 1,
    output: "all",
    loss: "mse",
    data: "normal",
    train: true,
    unit: "seq/s",
  },
  W2: {
    id: "W2",
    name: "sine-medium",
    cell: "rnn",
    D: 1,
    H: 100,
    O: 1,
    T: 50,
    B: 1,
    output: "last",
    loss: "mse",
    data: "sine",
    train: true,
    unit: "seq/s",
  },
  W3: { id: "W3", name: "batched-large", cell: "rnn", ...BATCHED, train: true, unit: "GFLOP/s" },
  W4: {
    id: "W4",
    name: "char-rnn",
    cell: "rnn",
    D: 65,
    H: 128,
    O: 65,
    T: 25,
    B: 1,
    output: "all",
    loss: "ce",
    data: "chars",
    train: true,
    unit: "seq/s",
  },
  INF: { id: "INF", name: "W3 inference", cell: "rnn", ...BATCHED, train: false, unit: "GFLOP/s" },
  W5: {
    id: "W5",
    name: "lstm-char",
    cell: "lstm",
    D: 65,
    H: 256,
    O: 65,
    T: 64,
    B: 32,
    output: "all",
    loss: "ce",
    data: "chars",
    train: true,
    unit: "seq/s",
  },
  W6: { id: "W6", name: "gru-batched", cell: "gru", ...BATCHED, train: true, unit: "seq/s" },
  W7: { id: "W7", name: "lstm-batched", cell: "lstm", ...BATCHED, train: true, unit: "seq/s" },
  "INF-LSTM": { id: "INF-LSTM", name: "W7 inference", cell: "lstm", ...BATCHED, train: false, unit: "seq/s" },
};

/** Gate blocks of a cell: how many (D + H) × H products one step makes. */
const GATES: Readonly<Record<CellKind, number>> = { rnn: 1, gru: 3, lstm: 4 };

/** FLOPs of one iteration: a forward, or for training a forward and a backward (three forwards). */
export function workloadFlops(w: Workload): number {
  const forward = 2 * w.B * w.T * GATES[w.cell] * (w.D * w.H + w.H * w.H);
  return w.train ? 3 * forward : forward;
}

/**
 * One batch of a workload's data: x (B, T, D) — token ids (B, T) for characters, the one-hot rows a
 * character model reads — and targets in the layout of the model's y.
 */
export function workloadBatch(w: Workload, dtype: DType, seed = 1): { x: ModelInput; target: Target } {
  const rng = createRng(seed);
  const x = new (dtype === "float32" ? Float32Array : Float64Array)(w.B * w.T * w.D);
  const N = w.output === "all" ? w.B * w.T : w.B;
  if (w.data === "chars") {
    const ids = Array.from({ length: w.B * (w.T + 1) }, () => rng.int(0, w.D));
    const input = Int32Array.from(
      { length: w.B * w.T },
      (_, i) => ids[Math.floor(i / w.T) * (w.T + 1) + (i % w.T)] as number,
    );
    const next = Array.from({ length: N }, (_, i) => ids[Math.floor(i / w.T) * (w.T + 1) + (i % w.T) + 1] as number);
    return { x: { ids: input, dims: [w.B, w.T] }, target: next };
  }
  const y = new (dtype === "float32" ? Float32Array : Float64Array)(N * w.O);
  if (w.data === "sine") {
    for (let b = 0; b < w.B; b++) {
      const phase = rng.uniform(0, 2 * Math.PI);
      for (let t = 0; t < w.T; t++) x[b * w.T + t] = Math.sin(phase + 0.2 * t);
      y[b] = Math.sin(phase + 0.2 * w.T); // the next value
    }
  } else {
    rng.fillNormal(x);
    rng.fillNormal(y);
  }
  return { x: tensor3(w.B, w.T, w.D, x), target: fromArray(y, N, w.O, dtype) as Matrix<FloatArray> };
}

/** A function that runs one iteration of the workload (one SGD update, or one forward). */
export function workloadStep(w: Workload, dtype: DType = "float32", seed = 1): () => void {
  const config = modelConfig({
    cell: w.cell,
    inputSize: w.D,
    hiddenSize: w.H,
    returnSequences: w.output === "all",
    head: { outputSize: w.O, activation: "identity" },
  });
  const p = initParams(allocateParams(config, dtype), { rng: createRng(seed) });
  const { x, target } = workloadBatch(w, dtype, seed + 1);
  if (!w.train) return () => void modelForward(p, x);
  const grads = allocateParams(config, dtype);
  const opt = createOptimizer({ kind: "sgd", lr: 0.01 }, p.flat.length);
  const spec: LossSpec = { kind: w.loss };
  return () => {
    grads.flat.fill(0);
    backprop(p, x, target, spec, grads, { inputGradient: false });
    opt.step(p.flat, grads.flat);
  };
}

export interface BenchOptions {
  readonly dtype?: DType;
  /** Seconds of warm-up before timing (default 0.5). */
  readonly warmup?: number;
  /** Seconds each timed repeat runs for at least (default 1). */
  readonly seconds?: number;
  /** Timed repeats; the median is reported (default 5). */
  readonly repeats?: number;
  /** Called after each repeat, e.g. to sample memory. */
  readonly onRepeat?: () => void;
}

export interface BenchResult {
  readonly workload: WorkloadId;
  /** Sequences per second, or GFLOP/s (W3, INF): the median repeat. */
  readonly throughput: number;
  readonly unit: Workload["unit"];
  readonly gflops: number;
  /** Iterations per second of every repeat. */
  readonly samples: number[];
}

/** Times `step` (one iteration of w): warm-up, then the median of several repeats. */
export function timeWorkload(w: Workload, step: () => void, opts: BenchOptions = {}): BenchResult {
  const now = () => performance.now() / 1000;
  const [warmup, seconds, repeats] = [opts.warmup ?? 0.5, opts.seconds ?? 1, opts.repeats ?? 5];
  for (let t0 = now(); now() - t0 < warmup; ) step();
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let n = 0;
    const t0 = now();
    let t = t0;
    while (t - t0 < seconds) {
      step();
      n++;
      t = now();
    }
    samples.push(n / (t - t0));
    opts.onRepeat?.();
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const perSecond = sorted[Math.floor(sorted.length / 2)] as number;
  const gflops = (perSecond * workloadFlops(w)) / 1e9;
  return { workload: w.id, throughput: w.unit === "seq/s" ? perSecond * w.B : gflops, unit: w.unit, gflops, samples };
}

/** Benchmarks this library on one workload. */
export function benchmark(id: WorkloadId, opts: BenchOptions = {}): BenchResult {
  const w = WORKLOADS[id];
  return timeWorkload(w, workloadStep(w, opts.dtype ?? "float32"), opts);
}
