/// <reference lib="webworker" />
/**
 * The training worker: everything numeric happens here, with the same package functions the CLI
 * calls (prepareSource, csvTask, runTraining, sectionsFor), so the page never blocks. It trains in
 * short bursts (runTraining is resumed from the state of the last burst), reports batches at most
 * every 50 ms, and after each epoch sends the weights (one flat buffer, transferred), the hidden
 * states of one sequence and the predictions on the report split.
 */
import {
  backendInfo,
  ConfigError,
  createRng,
  type FloatArray,
  FormatError,
  type Tensor3,
  UnrolledError,
} from "@unrolled/linalg";
import { castParams, loadModel, type ModelParams, modelForward, serializeModel } from "@unrolled/rnn-core";
import {
  buildParams,
  CSV_DEFAULTS,
  csvColumns,
  csvSpec,
  csvTask,
  type DataSource,
  evaluateSplit,
  type FitState,
  generateText,
  isRegression,
  type Metrics,
  type Prepared,
  prepareSource,
  presetByName,
  presetConfig,
  reportSplit,
  runTraining,
  sectionsFor,
  type TrainConfig,
} from "@unrolled/train";
import type { Controls, FromWorker, ToWorker } from "./protocol.js";

const post = (m: FromWorker, transfer: Transferable[] = []) =>
  (self as DedicatedWorkerGlobalScope).postMessage(m, transfer);

interface Session {
  prepared: Prepared;
  cfg: TrainConfig;
  params: ModelParams;
  state: FitState | undefined;
  running: boolean;
  stopAfter: number; // batches to run before pausing (Infinity while training)
  batches: number;
  name: string;
  source: DataSource;
  /** For a CSV: the columns the page offers as targets. */
  columns: readonly string[];
}
let session: Session | null = null;

/** The run's configuration with the page's controls applied; the page decides when to stop. */
function configFrom(base: TrainConfig, c: Controls): TrainConfig {
  return {
    ...base,
    cell: c.cell,
    nonlinearity: c.cell === "rnn" ? base.nonlinearity : "tanh",
    hidden: c.hidden,
    layers: c.layers,
    seqLen: c.seqLen,
    optimizer: c.optimizer,
    lr: c.lr,
    seed: c.seed,
    epochs: c.epochs,
    patience: 0,
    restoreBest: false, // the page shows the weights as they are
    ...(c.clipNorm !== null ? { clipNorm: c.clipNorm } : {}),
    ...(c.tbptt !== null ? { truncate: c.tbptt } : {}),
    // keep epochs short in the browser for big corpora
    ...(base.batchesPerEpoch !== undefined ? { batchesPerEpoch: 20 } : {}),
  };
}

/** The kernels in use, for the status line. */
function kernels(): string {
  const b = backendInfo();
  if (b.name === "wasm") return `WebAssembly SIMD kernels, ${b.threads} thread${b.threads > 1 ? "s" : ""}`;
  return `TypeScript kernels (${b.reason || "WebAssembly off"})`;
}

function ready(s: Session): void {
  const { task } = s.prepared;
  const split = reportSplit(task);
  post({
    type: "ready",
    task: task.kind,
    units: task.units,
    notes: task.notes,
    baselines: (split === "test" ? task.baselines.test : task.baselines.valid) ?? task.baselines.valid,
    evaluatedOn: split,
    parameters: s.params.flat.length,
    kernels: kernels(),
    config: s.cfg,
    weights: s.params.slots.map((sl) => ({
      name: sl.name,
      rows: sl.shape.length === 2 ? (sl.shape[0] as number) : 1,
      cols: sl.shape[sl.shape.length - 1] as number,
      offset: sl.offset,
    })),
    columns: s.columns,
    target: "csv" in s.source ? s.source.csv.target : null,
  });
  view(s);
}

function start(
  prepared: Prepared,
  cfg: TrainConfig,
  source: DataSource,
  params?: ModelParams,
  columns: readonly string[] = [],
): void {
  const name = "csv" in source ? source.csv.file : source.preset;
  const p = params ?? buildParams(prepared.task, cfg);
  session = {
    prepared,
    cfg,
    params: p,
    state: undefined,
    running: false,
    stopAfter: 0,
    batches: 0,
    name,
    source,
    columns,
  };
  ready(session);
  post({ type: "state", running: false, epoch: 0, done: false, message: null, solved: false });
}

/** The weights, the hidden states of the first validation sequence (the top layer's output), and predictions. */
function view(s: Session, params: ModelParams = s.params): void {
  const { task } = s.prepared;
  const sample = task.valid.batch([0], params.dtype);
  const output = modelForward(params, sample.x, { output: true }).output as Tensor3<FloatArray>; // (1, T, H·dirs)
  const [, T, H] = output.dims;
  const hidden = Float64Array.from(output.data);
  const pred = task.kind === "regression" ? (evaluateSplit(params, task, reportSplit(task)).predictions ?? null) : null;
  const flat = Float64Array.from(params.flat);
  const transfer: Transferable[] = [flat.buffer, hidden.buffer];
  if (pred) transfer.push(pred.pred.buffer, pred.actual.buffer);
  post(
    {
      type: "view",
      flat,
      hidden: { T, H, data: hidden },
      predictions: pred ? { pred: pred.pred, actual: pred.actual } : null,
    },
    transfer,
  );
}

/** Trains until the page pauses (or the run ends), resuming from where the last burst stopped. */
async function run(s: Session): Promise<void> {
  if (s.running) return;
  s.running = true;
  post({ type: "state", running: true, epoch: s.state?.epoch ?? 0, done: false, message: null, solved: false });
  let lastPost = 0;
  const out = await runTraining(s.prepared, s.cfg, {
    initialParams: s.params,
    ...(s.state ? { resume: s.state } : {}),
    events: {
      onBatch: (b) => {
        s.batches++;
        s.stopAfter--;
        const now = performance.now();
        if (now - lastPost > 50 || b.step === b.steps) {
          lastPost = now;
          const gradNorms = b.hiddenGradNorms.map((r) => [...r]);
          post({
            type: "batch",
            epoch: b.epoch,
            step: b.step,
            steps: b.steps,
            loss: b.loss,
            batches: s.batches,
            gradNorms,
          });
        }
      },
      onEpoch: (r, params) => {
        post({ type: "epoch", record: r, metric: headline(s, r.validMetrics) });
        view(s, params);
      },
      shouldStop: () => s.stopAfter <= 0,
    },
  });
  s.params = out.params;
  s.running = false;
  const done = out.fit.stopReason !== "interrupted";
  s.state = done ? undefined : out.fit.state;
  view(s);
  const failed = out.fit.stopReason === "non-finite" || out.fit.stopReason === "diverged";
  const solved = out.fit.stopReason === "solved";
  const message = failed || solved ? out.fit.message : null;
  post({ type: "state", running: false, epoch: out.fit.history.length, done, message, solved });
}

/** The number the page plots per epoch: validation RMSE (beside persistence's), nats/char, or accuracy. */
function headline(s: Session, m: Metrics) {
  const baseline = s.prepared.task.baselines.valid.persistence;
  if (isRegression(m))
    return { name: "valid RMSE", value: m.rmse, persistence: isRegression(baseline) ? baseline.rmse : null };
  const text = s.prepared.task.kind === "text";
  return {
    name: text ? "valid nats/char" : "valid accuracy",
    value: text ? (m.loss ?? Number.NaN) : m.accuracy,
    persistence: null,
  };
}

function errorText(e: unknown): string {
  return UnrolledError.isInstance(e) ? e.message : `unexpected error: ${(e as Error).message ?? String(e)}`;
}

function exportModel(s: Session, format: "json" | "onnx" | "safetensors"): Promise<void> | void {
  const sections = sectionsFor(s.prepared, s.cfg, {
    preset: "preset" in s.source ? s.source.preset : null,
    protocol: "custom",
    from: "web demo",
  });
  if (format === "json") {
    post({
      type: "model",
      data: serializeModel(s.params, sections),
      mime: "application/json",
      fileName: `${s.name}.model.json`,
    });
    return;
  }
  return import("@unrolled/interop").then(({ exportOnnx, modelToSafetensors }) => {
    const data = format === "onnx" ? exportOnnx(s.params, { sections }) : modelToSafetensors(s.params, { sections });
    post({ type: "model", data, mime: "application/octet-stream", fileName: `${s.name}.${format}` });
  });
}

/** A model file the user dropped: it must fit the current data; its architecture replaces the controls'. */
function loadInto(s: Session, json: string): void {
  const { params } = loadModel(json, s.params.dtype);
  const [want, got] = [s.params.config, params.config];
  if (
    got.inputSize !== want.inputSize ||
    got.head.outputSize !== want.head.outputSize ||
    got.returnSequences !== want.returnSequences
  ) {
    const shape = (c: typeof got) =>
      `${c.inputSize} inputs, ${c.head.outputSize} outputs, ${c.returnSequences ? "many-to-many" : "many-to-one"}`;
    throw new FormatError(`this model has ${shape(got)}; the current data needs ${shape(want)}`);
  }
  const cfg: TrainConfig = {
    ...s.cfg,
    cell: got.cell,
    hidden: got.hiddenSize,
    layers: got.numLayers,
    nonlinearity: got.nonlinearity,
    bidirectional: got.bidirectional,
    bias: got.bias,
  };
  start(s.prepared, cfg, s.source, castParams(params, s.params.dtype), s.columns);
}

self.addEventListener("message", async (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  try {
    if (m.type === "init") {
      const cfg = configFrom(presetConfig(presetByName(m.preset), "default", m.controls.cell), m.controls);
      const source = { preset: m.preset };
      start(prepareSource(source, m.data, cfg), cfg, source);
    } else if (m.type === "init-csv") {
      const spec = csvSpec(m.csv, m.fileName, m.target ? { target: m.target } : {});
      const cfg = configFrom(CSV_DEFAULTS, m.controls);
      start(csvTask(spec, m.csv, cfg), cfg, { csv: spec }, undefined, csvColumns(m.csv, m.fileName).columns);
    } else if (!session) {
      throw new ConfigError("choose a preset or drop a CSV first");
    } else if (m.type === "start") {
      session.stopAfter = Number.POSITIVE_INFINITY;
      await run(session);
    } else if (m.type === "pause") {
      session.stopAfter = 0;
    } else if (m.type === "step") {
      session.stopAfter = 1;
      await run(session);
    } else if (m.type === "sample") {
      const vocab = session.prepared.vocabulary;
      if (!vocab) throw new ConfigError("text can only be sampled from a character model (the shakespeare preset)");
      const rng = createRng(session.batches);
      post({
        type: "text",
        sample: generateText(session.params, vocab, { length: m.length, temperature: m.temperature, prime: "\n", rng }),
      });
    } else if (m.type === "export") {
      await exportModel(session, m.format);
    } else if (m.type === "load") {
      loadInto(session, m.json);
    }
  } catch (e) {
    if (session) session.running = false;
    post({ type: "error", message: errorText(e) });
  }
});
