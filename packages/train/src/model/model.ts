/**
 * A model object for plain arrays: sequences of any length in, trained, predicted, evaluated beside
 * its baselines, saved and loaded — in a few lines, through the same runTraining as the CLI.
 *
 *   const model = new Model({ cell: "lstm", hiddenSize: 32, task: "regression" });
 *   const history = await model.fit(xs, ys, { epochs: 30, validationSplit: 0.1, seed: 0 });
 *   const out = model.predict(xs);
 *   const again = Model.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
 *
 * The model file it writes is the CLI's (its scalers, vocabulary and configuration inside), so
 * `unrolled predict`, `export` and the web demo read it too.
 */
import type { Vocabulary } from "@unrolled/datasets";
import { ConfigError, createRng, FormatError } from "@unrolled/linalg";
import { initialState, type ModelFile, type ModelParams, type StepState, toModelFile } from "@unrolled/rnn-core";
import type { TrainConfig } from "../config.js";
import { evaluateSplit } from "../evaluate.js";
import { generateText } from "../generate.js";
import { loadTrainedModel } from "../model-sections.js";
import { textTask } from "../prepare.js";
import { runTraining } from "../run.js";
import type { ArrayPreprocessing, Baselines, Metrics, Prepared } from "../task.js";
import { arrayTask, fitArrayPreprocessing } from "./array-task.js";
import { readSequences, readTargets, type Sequences } from "./arrays.js";
import {
  checkFitOptions,
  checkModelOptions,
  type FitCallOptions,
  type HistoryEntry,
  type ModelOptions,
  trainConfigFor,
} from "./options.js";
import { arrayOutputs, optionsFromFile, stepOutput } from "./outputs.js";

export interface Evaluation {
  /** The loss the model trains on (scaled units for regression). */
  readonly loss: number;
  /** In the data's units: mse / rmse / mae, or loss (nats) and accuracy. */
  readonly metrics: Metrics;
  /** The same task's baselines, fitted on the evaluated data itself (so, if anything, flattered). */
  readonly baselines: Baselines;
}

export class Model {
  readonly options: ReturnType<typeof checkModelOptions>;
  /** Every epoch trained so far, across fit() calls. */
  readonly history: HistoryEntry[] = [];
  private params: ModelParams | null = null;
  private prep: ArrayPreprocessing | null = null;
  private vocabulary: Vocabulary | null = null;
  private config: TrainConfig | null = null;
  private state: StepState | null = null;

  constructor(options: ModelOptions) {
    this.options = checkModelOptions(options);
  }

  /** Trains on sequences and targets (or, for a text model, on a text); later calls continue from the weights so far. */
  async fit(text: string, options?: FitCallOptions): Promise<HistoryEntry[]>;
  async fit(xs: unknown, ys: unknown, options?: FitCallOptions): Promise<HistoryEntry[]>;
  async fit(xs: unknown, ys?: unknown, options?: FitCallOptions): Promise<HistoryEntry[]> {
    const text = this.options.task === "text";
    const f = checkFitOptions((text ? ys : options) as FitCallOptions | undefined);
    const prepared = text
      ? this.prepareText(xs, f.validationSplit || 0.1)
      : this.prepareArrays(xs, ys, f.validationSplit);
    const cfg = trainConfigFor(this.options, f, prepared.task.train.seqLen);
    const signal = f.signal ?? this.options.signal;
    const from = this.history.length;
    const out = await runTraining(prepared, cfg, {
      ...(this.params ? { initialParams: this.params } : {}),
      events: {
        onEpoch: (r) => {
          const e = { epoch: from + r.epoch, loss: r.trainLoss, valLoss: r.validLoss };
          this.history.push(e);
          f.onEpoch?.(e);
        },
        shouldStop: () => signal?.aborted === true,
      },
    });
    [this.params, this.config, this.state] = [out.params, cfg, null];
    return this.history.slice(from);
  }

  private prepareArrays(xs: unknown, ys: unknown, validationSplit: number): Prepared {
    const task = this.options.task as Exclude<ModelOptions["task"], "text">;
    const seqs = readSequences(xs, "xs", this.prep?.inputSize);
    const targets = readTargets(ys, task, seqs, "ys", this.prep?.outputSize);
    const nValid = Math.round(seqs.N * validationSplit);
    if (nValid >= seqs.N)
      throw new ConfigError(`options.validationSplit ${validationSplit} leaves no sequence to train on`);
    const all = Int32Array.from({ length: seqs.N }, (_, i) => i);
    const split = { train: all.subarray(0, seqs.N - nValid), valid: nValid > 0 ? all.subarray(seqs.N - nValid) : all };
    this.prep ??= fitArrayPreprocessing(task, seqs, targets, split.train, this.options.scale);
    return { task: arrayTask(this.prep, { seqs, targets }, split), preprocessing: this.prep, vocabulary: null };
  }

  private prepareText(text: unknown, validationSplit: number): Prepared {
    if (typeof text !== "string") throw new ConfigError(`a text model trains on a string, got ${typeof text}`);
    const cfg = { ...trainConfigFor(this.options, checkFitOptions({ validationSplit }), this.options.seqLen) };
    const { task, vocab } = textTask("text", text, cfg, this.vocabulary ?? undefined);
    this.vocabulary = vocab;
    return { task, preprocessing: { kind: "text", seqLen: this.options.seqLen }, vocabulary: vocab };
  }

  private trained(): { params: ModelParams; prep: ArrayPreprocessing } {
    if (this.params === null) throw new ConfigError("the model has not been trained yet: call fit() first");
    if (this.prep === null) throw new ConfigError("a text model has no array predictions: use generate()");
    return { params: this.params, prep: this.prep };
  }

  /** One output per sequence (a per-step model's last step): values in the data's units, or probabilities. */
  predict(xs: unknown): number[][] {
    const { params, prep } = this.trained();
    return arrayOutputs(params, prep, readSequences(xs, "xs", prep.inputSize), "last");
  }

  /** Every step's output, for a model trained on one target per step. */
  predictSteps(xs: unknown): number[][][] {
    const { params, prep } = this.trained();
    if (!prep.perStep) throw new ConfigError("this model was trained on one target per sequence; use predict()");
    return arrayOutputs(params, prep, readSequences(xs, "xs", prep.inputSize), "steps");
  }

  /** Classification: the most likely class of each sequence. */
  classify(xs: unknown): number[] {
    if (this.options.task !== "classification")
      throw new ConfigError(`classify() is for classification; this model's task is ${this.options.task}`);
    return this.predict(xs).map((p) => p.indexOf(Math.max(...p)));
  }

  /** Loss and metrics on (xs, ys), beside the task's baselines. */
  evaluate(xs: unknown, ys: unknown): Evaluation {
    const { params, prep } = this.trained();
    const seqs: Sequences = readSequences(xs, "xs", prep.inputSize);
    const targets = readTargets(ys, prep.task, seqs, "ys", prep.outputSize);
    const all = Int32Array.from({ length: seqs.N }, (_, i) => i);
    const task = arrayTask(prep, { seqs, targets }, { train: all, valid: all });
    const { loss, metrics } = evaluateSplit(params, task, "valid");
    return { loss, metrics, baselines: task.baselines.valid };
  }

  /** One step of one stream (D features), carrying the state from call to call; resetState() starts over. */
  step(x: ArrayLike<number>): number[] {
    const { params, prep } = this.trained();
    const r = stepOutput(params, prep, x, this.state ?? initialState(params, 1));
    this.state = r.state;
    return r.output;
  }

  resetState(): void {
    this.state = null;
  }

  /** A text model: `length` characters after `prime`, sampled (seeded) at `temperature`. */
  generate(o: { length: number; prime?: string; temperature?: number; topK?: number; seed?: number }): string {
    if (this.params === null || this.vocabulary === null)
      throw new ConfigError("generate() needs a text model trained with fit(text)");
    const { seed, ...rest } = o;
    return generateText(this.params, this.vocabulary, { ...rest, rng: createRng(seed ?? 0) });
  }

  /** The model file (JSON-ready): weights under PyTorch's names, scalers or vocabulary, configuration. */
  toJSON(): ModelFile {
    if (this.params === null || this.config === null)
      throw new ConfigError("the model has not been trained yet: call fit() first");
    const preprocessing = this.prep ?? { kind: "text", seqLen: this.options.seqLen };
    return toModelFile(this.params, {
      preprocessing,
      ...(this.vocabulary ? { vocabulary: this.vocabulary.chars } : {}),
      metadata: { preset: null, protocol: "custom", from: "Model", epochs: this.history.length },
      training: this.config,
    });
  }

  /** A model from toJSON()'s object (or its JSON text): predictions are the same. */
  static fromJSON(json: unknown): Model {
    const file = loadTrainedModel(json);
    const p = file.preprocessing;
    if (p.kind !== "arrays" && p.kind !== "text")
      throw new FormatError(`model file: a ${p.kind} model was not written by Model.toJSON(); use loadTrainedModel`);
    const m = new Model(optionsFromFile(file));
    [m.params, m.config, m.prep, m.vocabulary] = [
      file.params,
      file.training,
      p.kind === "arrays" ? p : null,
      file.vocabulary,
    ];
    return m;
  }
}
