/**
 * One training run from a prepared task and a TrainConfig: build the model, fit, evaluate every split,
 * and assemble the report the CLI prints and the web demo draws — the model beside its baselines, in
 * the data's units — and the model file's sections. The CLI and the web demo call this; neither
 * re-implements any of it.
 */
import { ConfigError, createRng } from "@unrolled/linalg";
import type { OptimizerConfig, ScheduleConfig } from "@unrolled/optimizers";
import {
  allocateParams,
  countParams,
  initParams,
  type ModelConfig,
  type ModelParams,
  type ModelSections,
  modelConfig,
} from "@unrolled/rnn-core";
import { type TrainConfig, validateTrainConfig } from "./config.js";
import { type CriterionResult, wrongCount } from "./criterion.js";
import { evaluateSplit } from "./evaluate.js";
import { type FitEvents, type FitOptions, type FitResult, fit, type StopReason } from "./fit.js";
import type { EpochRecord, FitState } from "./fit-state.js";
import { type Baselines, type Metrics, type Prepared, type Published, reportSplit, type Task } from "./task.js";

export type RunProtocol = "default" | "tutorial" | "custom";

export interface TrainReport {
  readonly preset: string | null;
  readonly protocol: RunProtocol;
  readonly task: Task["kind"];
  readonly units: string;
  /** Epochs completed. */
  readonly epochs: number;
  readonly seconds: number;
  readonly stopReason: StopReason;
  readonly message: string | null;
  readonly bestEpoch: number | null;
  readonly metrics: { readonly train: Metrics; readonly valid: Metrics; readonly test: Metrics | null };
  /** Baselines on the split the headline is reported on (`evaluatedOn`). */
  readonly evaluatedOn: "valid" | "test";
  readonly baselines: Baselines;
  readonly history: readonly EpochRecord[];
  readonly parameters: number;
  readonly model: ModelConfig;
  readonly config: TrainConfig;
  readonly notes: readonly string[];
  /** For data read from a CSV: rows dropped (bad or missing cells) and missing cells filled forward. */
  readonly cleaning: { readonly dropped: number; readonly filled: number } | null;
  /** Tasks with a criterion (the adding problem): whether it was met, when, and the test sequences wrong. */
  readonly result: CriterionResult | null;
  /** Published figures on the same split (JSB Chorales), to compare with. */
  readonly published: readonly Published[];
}

/** What a run records about itself in the model file's "metadata" section. */
export interface RunMetadata {
  readonly preset: string | null;
  readonly protocol: RunProtocol;
  /** For a run on the user's CSV: its name and columns (a name to show, never a path to open). */
  readonly data?: { readonly file?: unknown } | null;
  /** Anything else worth keeping (the web demo notes where a model came from). */
  readonly from?: string;
}

export interface RunOptions {
  readonly preset?: string | null;
  readonly protocol?: RunProtocol;
  readonly events?: FitEvents;
  /** Start from these weights (a model trained before) instead of initialising. */
  readonly initialParams?: ModelParams;
  /** Continue an interrupted run. */
  readonly resume?: FitState;
  /** Extra lines for the report's notes (how the run was set up). */
  readonly notes?: readonly string[];
  /** Recorded in the model file's metadata beside the preset. */
  readonly metadata?: Omit<RunMetadata, "preset" | "protocol">;
}

export interface RunOutput {
  /** null when the run was interrupted (resume it from `fit.state`). */
  readonly report: TrainReport | null;
  readonly params: ModelParams;
  readonly fit: FitResult;
  /** The model-file sections that let eval / predict / generate prepare new data the same way. */
  readonly sections: ModelSections;
}

/** What the head's outputs mean for each kind of task: values, a distribution over classes, independent labels. */
const HEAD_ACTIVATION = {
  regression: "identity",
  classification: "softmax",
  multilabel: "sigmoid",
  text: "softmax",
} as const;

/** The architecture a task and a configuration call for. */
export function modelConfigFor(task: Task, cfg: TrainConfig): ModelConfig {
  return modelConfig({
    cell: cfg.cell,
    inputSize: task.train.inputSize,
    hiddenSize: cfg.hidden,
    numLayers: cfg.layers,
    nonlinearity: cfg.nonlinearity,
    bias: cfg.bias,
    bidirectional: cfg.bidirectional,
    ...(cfg.dropout ? { dropout: cfg.dropout } : {}),
    returnSequences: task.train.steps > 1,
    head: {
      outputSize: task.train.outputSize,
      activation: HEAD_ACTIVATION[task.kind],
      ...(cfg.headDropout ? { dropout: cfg.headDropout } : {}),
    },
  });
}

export function fitOptionsFor(cfg: TrainConfig): FitOptions {
  const optimizer: OptimizerConfig =
    cfg.optimizer === "momentum"
      ? { kind: "sgd", lr: cfg.lr, momentum: 0.9, weightDecay: cfg.weightDecay }
      : ({ kind: cfg.optimizer, lr: cfg.lr, weightDecay: cfg.weightDecay } as OptimizerConfig);
  const schedules: Record<TrainConfig["schedule"], ScheduleConfig | undefined> = {
    constant: undefined,
    cosine: { kind: "cosine", tMax: cfg.epochs, etaMin: cfg.lr / 100 },
    step: { kind: "step", stepSize: Math.max(1, Math.floor(cfg.epochs / 3)), gamma: 0.1 },
    plateau: { kind: "plateau", factor: 0.5, patience: Math.max(1, Math.floor(cfg.patience / 2)) },
  };
  const schedule = schedules[cfg.schedule];
  return {
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    shuffle: cfg.shuffle,
    optimizer,
    ...(schedule ? { schedule } : {}),
    ...(cfg.clipNorm !== undefined ? { clipNorm: cfg.clipNorm } : {}),
    ...(cfg.clipValue !== undefined ? { clipValue: cfg.clipValue } : {}),
    ...(cfg.truncate !== undefined ? { truncate: cfg.truncate } : {}),
    ...(cfg.batchesPerEpoch !== undefined ? { batchesPerEpoch: cfg.batchesPerEpoch } : {}),
    ...(cfg.inputDropout ? { inputDropout: cfg.inputDropout } : {}),
    patience: cfg.patience,
    minDelta: cfg.minDelta,
    restoreBest: cfg.restoreBest,
    seed: cfg.seed + 1, // shuffling draws from its own stream, apart from the initial weights'
  };
}

const describeArch = (c: ModelConfig) =>
  `${c.numLayers}×${c.hiddenSize} ${c.cell}${c.cell === "rnn" ? ` ${c.nonlinearity}` : ""}${c.bidirectional ? ", bidirectional" : ""}`;

/** Fresh parameters for `task` (seeded), or a copy of `initial` after checking it fits the data and the configuration. */
export function buildParams(task: Task, cfg: TrainConfig, initial?: ModelParams): ModelParams {
  const config = modelConfigFor(task, cfg);
  const p = allocateParams(config, cfg.dtype);
  if (initial) {
    const c = initial.config;
    if (c.inputSize !== config.inputSize)
      throw new ConfigError(
        `initial params: the model reads ${c.inputSize} features per step, the data has ${config.inputSize}`,
      );
    if (c.head.outputSize !== config.head.outputSize)
      throw new ConfigError(
        `initial params: the model has ${c.head.outputSize} outputs, the data needs ${config.head.outputSize}`,
      );
    if (JSON.stringify({ ...c, head: null }) !== JSON.stringify({ ...config, head: null }))
      throw new ConfigError(
        `initial params: the model's architecture (${describeArch(c)}) differs from the configuration's (${describeArch(config)})`,
      );
    p.flat.set(initial.flat);
    return p;
  }
  return initParams(p, {
    scheme: cfg.initScheme,
    rng: createRng(cfg.seed),
    ...(cfg.initStd !== undefined ? { std: cfg.initStd } : {}),
    ...(cfg.initLow !== undefined ? { low: cfg.initLow } : {}),
    ...(cfg.initHigh !== undefined ? { high: cfg.initHigh } : {}),
    ...(cfg.initBiases !== undefined ? { biases: cfg.initBiases } : {}),
    ...(cfg.initForgetBias !== undefined ? { forgetBias: cfg.initForgetBias } : {}),
    ...(cfg.initChrono !== undefined ? { chrono: cfg.initChrono } : {}),
  });
}

/** Evaluates `p` on every split and assembles the report. */
export function reportFor(
  p: ModelParams,
  prepared: Prepared,
  cfg: TrainConfig,
  f: Pick<FitResult, "history" | "seconds" | "stopReason" | "message" | "bestEpoch"> & { sequences?: number },
  opts: Pick<RunOptions, "preset" | "protocol" | "notes"> = {},
): TrainReport {
  const { task } = prepared;
  const split = reportSplit(task);
  const trainEval = evaluateSplit(p, task, "train", { maxSamples: 4096 });
  const test = task.test ? evaluateSplit(p, task, "test") : null;
  return {
    preset: opts.preset ?? null,
    protocol: opts.protocol ?? "custom",
    task: task.kind,
    units: task.units,
    epochs: f.history.length,
    seconds: f.seconds,
    stopReason: f.stopReason,
    message: f.message,
    bestEpoch: f.bestEpoch,
    metrics: {
      train: trainEval.metrics,
      valid: evaluateSplit(p, task, "valid").metrics,
      test: test?.metrics ?? null,
    },
    evaluatedOn: split,
    baselines: (split === "test" ? task.baselines.test : task.baselines.valid) as Baselines,
    history: f.history,
    parameters: countParams(p.config),
    model: p.config,
    config: cfg,
    notes: [...task.notes, ...(opts.notes ?? [])],
    cleaning: task.cleaning ?? null,
    result: criterionResult(task, test, f),
    published: task.published ?? [],
  };
}

/** The criterion's verdict: met or not, after how many training sequences, and the test sequences it gets wrong. */
function criterionResult(
  task: Task,
  test: ReturnType<typeof evaluateSplit> | null,
  f: { stopReason: StopReason; sequences?: number },
): CriterionResult | null {
  const c = task.criterion;
  if (!c || !test?.predictions) return null;
  const { pred, actual } = test.predictions;
  const errors = pred.map((v, i) => Math.abs(v - (actual[i] as number)));
  return {
    solved: f.stopReason === "solved",
    sequencesSeen: f.sequences ?? 0,
    testWrong: wrongCount(errors, c),
    testTotal: errors.length,
  };
}

/** The model file's sections for a model trained on `prepared` with `cfg`: how to prepare new data the same way. */
export function sectionsFor(
  prepared: Prepared,
  cfg: TrainConfig,
  metadata: RunMetadata & Record<string, unknown>,
): ModelSections {
  return {
    preprocessing: prepared.preprocessing,
    ...(prepared.vocabulary ? { vocabulary: prepared.vocabulary.chars } : {}),
    metadata,
    training: cfg,
  };
}

/** Builds (or restores) the model, fits it and reports. */
export async function runTraining(prepared: Prepared, config: TrainConfig, opts: RunOptions = {}): Promise<RunOutput> {
  const cfg = validateTrainConfig(config);
  const p = buildParams(prepared.task, cfg, opts.initialParams);
  const f = await fit(p, prepared.task, fitOptionsFor(cfg), opts.events ?? {}, opts.resume);
  const sections = sectionsFor(prepared, cfg, {
    preset: opts.preset ?? null,
    protocol: opts.protocol ?? "custom",
    trainedEpochs: f.history.length,
    bestEpoch: f.bestEpoch,
    ...(prepared.task.criterion ? { solved: f.stopReason === "solved", sequencesSeen: f.state.sequences } : {}),
    ...(opts.metadata ?? {}),
  });
  const report =
    f.stopReason === "interrupted"
      ? null
      : reportFor(f.params, prepared, cfg, { ...f, sequences: f.state.sequences }, opts);
  return { report, params: f.params, fit: f, sections };
}
