/// <reference lib="webworker" />
/**
 * The training worker: everything numeric happens here, with the same packages the CLI uses, so the
 * page never blocks. It trains in short bursts (the fit loop yields every ~50 ms), reports batches at
 * most every 50 ms, and after each epoch sends the weights (one flat buffer, transferred), the hidden
 * states of one sequence and the predictions on the report split.
 */
import { columnIndex, numericColumns, parseCsv, type Vocabulary } from "@unrolled/datasets";
import {
  backendInfo,
  ConfigError,
  createRng,
  DataError,
  type FloatArray,
  FormatError,
  type Tensor3,
  UnrolledError,
} from "@unrolled/linalg";
import { castParams, loadModel, type ModelParams, modelForward, serializeModel } from "@unrolled/rnn-core";
import {
  buildParams,
  evaluateSplit,
  type FitState,
  fit,
  fitOptionsFor,
  generateText,
  isRegression,
  type Prepared,
  presetByName,
  presetConfig,
  reportSplit,
  seriesTask,
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
  presetName: string;
  /** For a CSV: its numeric columns (the page offers them as targets) and the chosen target. */
  columns: readonly string[];
  target: string | null;
}
let session: Session | null = null;

function configFrom(base: TrainConfig, c: Controls): TrainConfig {
  const lstmOrGru = c.cell !== "rnn";
  return {
    ...base,
    cell: c.cell,
    nonlinearity: lstmOrGru ? "tanh" : base.nonlinearity,
    hidden: c.hidden,
    layers: c.layers,
    seqLen: c.seqLen,
    optimizer: c.optimizer,
    lr: c.lr,
    seed: c.seed,
    epochs: c.epochs,
    patience: 0, // the page decides when to stop
    ...(c.clipNorm !== null ? { clipNorm: c.clipNorm } : {}),
    ...(c.tbptt !== null ? { tbptt: c.tbptt } : {}),
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
    target: s.target,
  });
  view(s);
}

function start(
  prepared: Prepared,
  cfg: TrainConfig,
  presetName: string,
  params?: ModelParams,
  csv?: { columns: readonly string[]; target: string },
): void {
  const p = params ?? buildParams(prepared.task, cfg);
  session = {
    prepared,
    cfg,
    params: p,
    state: undefined,
    running: false,
    stopAfter: 0,
    batches: 0,
    presetName,
    columns: csv?.columns ?? [],
    target: csv?.target ?? null,
  };
  ready(session);
  post({ type: "state", running: false, epoch: 0, done: false, message: null });
}

/** Hidden states of the first validation sequence (last layer), and predictions on the report split. */
function view(s: Session): void {
  const { task } = s.prepared;
  const sample = task.valid.batch([0], s.params.dtype);
  const output = modelForward(s.params, sample.x, { output: true }).output as Tensor3<FloatArray>; // (1, T, H·dirs)
  const [, T, H] = output.dims;
  const hidden = Float64Array.from(output.data);
  const pred =
    task.kind === "regression" ? (evaluateSplit(s.params, task, reportSplit(task)).predictions ?? null) : null;
  const flat = Float64Array.from(s.params.flat);
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

async function run(s: Session): Promise<void> {
  if (s.running) return;
  s.running = true;
  post({ type: "state", running: true, epoch: s.state?.epoch ?? 0, done: false, message: null });
  let lastPost = 0;
  const result = await fit(
    s.params,
    s.prepared.task,
    { ...fitOptionsFor(s.cfg), restoreBest: false },
    {
      onBatch: (b) => {
        s.batches++;
        s.stopAfter--;
        const now = performance.now();
        if (now - lastPost > 50 || b.step === b.steps) {
          lastPost = now;
          post({
            type: "batch",
            epoch: b.epoch,
            step: b.step,
            steps: b.steps,
            loss: b.loss,
            batches: s.batches,
            gradNorms: b.hiddenGradNorms.map((r) => [...r]),
          });
        }
      },
      onEpoch: (r) => {
        const m = r.validMetrics;
        const baseline = s.prepared.task.baselines.valid.persistence;
        const metric = isRegression(m)
          ? { name: "valid RMSE", value: m.rmse, persistence: isRegression(baseline) ? baseline.rmse : null }
          : {
              name: s.prepared.task.kind === "text" ? "valid nats/char" : "valid accuracy",
              value: s.prepared.task.kind === "text" ? (m.loss ?? Number.NaN) : m.accuracy,
              persistence: null,
            };
        post({ type: "epoch", record: r, metric });
        view(s);
      },
      shouldStop: () => s.stopAfter <= 0,
    },
    s.state,
  );
  s.state = result.state;
  s.running = false;
  const done = result.stopReason !== "interrupted";
  if (done) s.state = undefined;
  view(s);
  post({
    type: "state",
    running: false,
    epoch: result.history.length,
    done,
    message: result.stopReason === "non-finite" ? result.message : null,
  });
}

async function prepareCsv(csv: string, fileName: string, target: string | null, controls: Controls): Promise<void> {
  const t = parseCsv(csv, fileName);
  const date = t.header.find((h) => /date|month|time/i.test(h)) ?? null;
  const numeric = t.header.filter((h) => h !== date);
  const y = target ?? numeric[numeric.length - 1];
  if (y === undefined) throw new DataError(`${fileName}: no numeric column to predict`);
  columnIndex(t, y, fileName);
  const features = numeric.filter((h) => h !== y);
  const feats = features.length > 0 ? features : [y];
  const cfg = configFrom({ ...presetByName("weather").defaults, split: [0.7, 0.15, 0.15] }, controls);
  const table = numericColumns(t, [...new Set([...feats, y])], { dateColumn: date, source: fileName });
  const r = seriesTask(
    {
      name: fileName,
      table,
      features: feats,
      target: y,
      horizon: feats.includes(y) ? 1 : 0,
      units: "",
      dateColumn: date,
    },
    cfg,
  );
  start({ ...r, vocabulary: null }, cfg, fileName, undefined, { columns: numeric, target: y });
}

function errorText(e: unknown): string {
  return UnrolledError.isInstance(e) ? e.message : `unexpected error: ${(e as Error).message ?? String(e)}`;
}

self.addEventListener("message", async (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  try {
    if (m.type === "init") {
      const preset = presetByName(m.preset);
      const cfg = configFrom(presetConfig(preset, "default", m.controls.cell), m.controls);
      start(preset.prepare(m.data, cfg), cfg, m.preset);
    } else if (m.type === "init-csv") {
      await prepareCsv(m.csv, m.fileName, m.target, m.controls);
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
      const vocab = session.prepared.vocabulary as Vocabulary | null;
      if (!vocab) throw new ConfigError("text can only be sampled from a character model (the shakespeare preset)");
      post({
        type: "text",
        sample: generateText(session.params, vocab, {
          length: m.length,
          temperature: m.temperature,
          prime: "\n",
          rng: createRng(session.batches),
        }),
      });
    } else if (m.type === "export") {
      const sections = {
        preprocessing: session.prepared.preprocessing,
        ...(session.prepared.vocabulary ? { vocabulary: session.prepared.vocabulary.chars } : {}),
        metadata: { preset: session.presetName, from: "web demo" },
        training: session.cfg,
      };
      const name = session.presetName;
      if (m.format === "json") {
        const data = serializeModel(session.params, sections);
        post({ type: "model", data, mime: "application/json", fileName: `${name}.model.json` });
      } else {
        const { exportOnnx, modelToSafetensors } = await import("@unrolled/interop"); // loaded on the first export
        const data =
          m.format === "onnx"
            ? exportOnnx(session.params, { sections })
            : modelToSafetensors(session.params, { sections });
        post({ type: "model", data, mime: "application/octet-stream", fileName: `${name}.${m.format}` });
      }
    } else if (m.type === "load") {
      const { params } = loadModel(m.json, session.params.dtype);
      const want = session.params.config;
      const got = params.config;
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
        ...session.cfg,
        cell: got.cell,
        hidden: got.hiddenSize,
        layers: got.numLayers,
        nonlinearity: got.nonlinearity,
        bidirectional: got.bidirectional,
        bias: got.bias,
      };
      start(
        session.prepared,
        cfg,
        session.presetName,
        castParams(params, session.params.dtype),
        session.target ? { columns: session.columns, target: session.target } : undefined,
      );
    }
  } catch (e) {
    if (session) session.running = false;
    post({ type: "error", message: errorText(e) });
  }
});
