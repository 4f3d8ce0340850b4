/**
 * The fit loop. Per epoch: shuffle (seeded), then per batch of sequences
 *   zero the gradients → forward + loss + BPTT → check they are finite → clip → optimizer step;
 * then validate, step the learning-rate schedule, and keep the best weights for early stopping.
 * It owns no maths: every piece is a package function. It yields to the event loop every ~50 ms so a
 * Ctrl-C (CLI) or a pause (web worker) is seen at the next batch boundary, where the whole state —
 * weights, optimizer, schedule, RNG, position in the epoch — is captured for an exact resume.
 */
import { allFinite, ConfigError, createRng, type Rng, vectorNorm } from "@unrolled/linalg";
import {
  clipGradNorm,
  clipGradValue,
  createOptimizer,
  createSchedule,
  type Optimizer,
  type OptimizerConfig,
  restoreOptimizer,
  restoreSchedule,
  type Schedule,
  type ScheduleConfig,
} from "@unrolled/optimizers";
import { backprop, type ModelParams, paramsFromFlat, zeroGrads, zerosLikeParams } from "@unrolled/rnn-core";
import { evaluateSplit } from "./evaluate.js";
import { type FitState, restoreRng } from "./fit-state.js";
import type { Metrics, Task } from "./task.js";

export interface FitOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /** Shuffle the sequences every epoch (false keeps time order; the last, smaller batch is kept). */
  readonly shuffle: boolean;
  readonly optimizer: OptimizerConfig;
  readonly schedule?: ScheduleConfig;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  /** Truncated BPTT: cut the gradient every k steps. */
  readonly truncate?: number;
  /** Stop after this many epochs without a validation improvement larger than minDelta; 0 = never. */
  readonly patience: number;
  readonly minDelta?: number;
  /** When stopping, go back to the weights of the best validation epoch (default true). */
  readonly restoreBest?: boolean;
  /** Seeds the shuffling (the initial weights have their own seed). */
  readonly seed: number;
  /** Use at most this many batches per epoch (a random subset), for very large corpora. */
  readonly batchesPerEpoch?: number;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly validLoss: number;
  readonly validMetrics: Metrics;
  readonly lr: number;
  readonly seconds: number;
}

export interface BatchInfo {
  readonly epoch: number;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  readonly gradNorm: number;
  /** ‖∂L/∂hₜ‖ per layer and step for this batch. */
  readonly hiddenGradNorms: readonly (readonly number[])[];
}

export interface FitEvents {
  onBatch?(info: BatchInfo): void;
  onEpoch?(record: EpochRecord): void;
  /** Polled between batches; true stops with reason "interrupted" and a resumable state. */
  shouldStop?(): boolean;
}

export type StopReason = "completed" | "early-stopping" | "non-finite" | "interrupted";

export interface FitResult {
  /** The weights to keep: the best epoch's (restoreBest) or the last good ones. */
  readonly params: ModelParams;
  readonly history: readonly EpochRecord[];
  readonly bestEpoch: number | null;
  readonly stopReason: StopReason;
  /** Why training stopped early, in one line (non-finite values, early stopping). */
  readonly message: string | null;
  /** Everything needed to resume (for a checkpoint). */
  readonly state: FitState;
  readonly seconds: number;
}

export function validateFitOptions(o: FitOptions): void {
  const int = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new ConfigError(`train: ${name} must be an integer ≥ ${min}, got ${v}`);
  };
  int("epochs", o.epochs, 1);
  int("batch", o.batchSize, 1);
  int("patience", o.patience, 0);
  if (o.truncate !== undefined) int("tbptt", o.truncate, 1);
  if (o.batchesPerEpoch !== undefined) int("batches-per-epoch", o.batchesPerEpoch, 1);
  for (const [name, v] of [
    ["clip-norm", o.clipNorm],
    ["clip-value", o.clipValue],
  ] as const) {
    if (v !== undefined && !(v > 0 && Number.isFinite(v)))
      throw new ConfigError(`train: ${name} must be > 0, got ${v}`);
  }
  if (o.minDelta !== undefined && !(o.minDelta >= 0))
    throw new ConfigError(`train: min-delta must be ≥ 0, got ${o.minDelta}`);
  if (!Number.isSafeInteger(o.seed)) throw new ConfigError(`train: seed must be an integer, got ${o.seed}`);
}

const now = () => performance.now();
const yieldToEventLoop = () => new Promise<void>((r) => setTimeout(r, 0));

/** Trains `p` in place on `task`; resumes from `resume` when given (a state from an earlier FitResult). */
export async function fit(
  p: ModelParams,
  task: Task,
  opts: FitOptions,
  events: FitEvents = {},
  resume?: FitState,
): Promise<FitResult> {
  validateFitOptions(opts);
  const t0 = now();
  const P = p.flat.length;
  const grads = zerosLikeParams(p);
  const lastGood = p.flat.slice();
  let opt: Optimizer;
  let schedule: Schedule | null;
  let rng: Rng;
  let s: FitState;
  if (resume) {
    p.flat.set(resume.params);
    opt = restoreOptimizer(resume.optimizer, P);
    schedule = resume.schedule ? restoreSchedule(resume.schedule) : null;
    rng = restoreRng(resume.rng);
    s = { ...resume, history: [...resume.history] };
  } else {
    opt = createOptimizer(opts.optimizer, P);
    schedule = opts.schedule ? createSchedule(opts.schedule, opts.optimizer.lr) : null;
    rng = createRng(opts.seed);
    s = {
      epoch: 0,
      batch: 0,
      order: null,
      epochLoss: 0,
      epochCount: 0,
      history: [],
      best: null,
      badEpochs: 0,
      params: [],
      optimizer: opt.getState(),
      schedule: null,
      rng: rng.getState(),
      seconds: 0,
    };
  }
  if (schedule) opt.lr = schedule.lr;
  const N = task.train.count;
  if (N === 0) throw new ConfigError("train: the training split has no sequences");
  const B = Math.min(opts.batchSize, N);
  let stop: { reason: StopReason; message: string | null } | null = null;
  let lastYield = now();
  let epochStart = now();

  const snapshot = (): FitState => ({
    ...s,
    params: Array.from(p.flat),
    optimizer: opt.getState(),
    schedule: schedule ? schedule.getState() : null,
    rng: rng.getState(),
    seconds: s.seconds + (now() - t0) / 1000,
  });

  while (s.epoch < opts.epochs && stop === null) {
    if (s.order === null) {
      // a new epoch: its order is drawn now and saved, so a resumed run replays the same batches
      const order = opts.shuffle ? rng.permutation(N) : Int32Array.from({ length: N }, (_, i) => i);
      const steps = Math.ceil(N / B);
      const keep = opts.batchesPerEpoch && opts.batchesPerEpoch < steps ? opts.batchesPerEpoch * B : N;
      s = { ...s, order: Array.from(order.subarray(0, keep)), batch: 0, epochLoss: 0, epochCount: 0 };
      epochStart = now();
    }
    const order = s.order as number[];
    const steps = Math.ceil(order.length / B);
    while (s.batch < steps) {
      if (events.shouldStop?.()) {
        stop = {
          reason: "interrupted",
          message: `interrupted at epoch ${s.epoch + 1}, step ${s.batch + 1} of ${steps}`,
        };
        break;
      }
      const idx = order.slice(s.batch * B, (s.batch + 1) * B);
      const batch = task.train.batch(idx, p.dtype);
      zeroGrads(grads);
      const r = backprop(p, batch.x, batch.target, task.loss, grads, {
        inputGradient: false,
        ...(opts.truncate ? { truncate: opts.truncate } : {}),
      });

      const where = `epoch ${s.epoch + 1}, step ${s.batch + 1}`;
      if (!Number.isFinite(r.loss) || !allFinite(grads.flat)) {
        stop = {
          reason: "non-finite",
          message: `the ${Number.isFinite(r.loss) ? "gradient" : "loss"} became ${Number.isFinite(r.loss) ? "non-finite" : r.loss} at ${where} (try a smaller --lr or --clip-norm 1)`,
        };
        break;
      }
      if (opts.clipValue !== undefined) clipGradValue(grads.flat, opts.clipValue);
      const gradNorm = opts.clipNorm !== undefined ? clipGradNorm(grads.flat, opts.clipNorm) : vectorNorm(grads.flat);
      lastGood.set(p.flat);
      opt.step(p.flat, grads.flat);
      if (!allFinite(p.flat)) {
        p.flat.set(lastGood);
        stop = {
          reason: "non-finite",
          message: `the weights became non-finite at ${where} (try a smaller --lr or --clip-norm 1)`,
        };
        break;
      }
      s = {
        ...s,
        batch: s.batch + 1,
        epochLoss: s.epochLoss + r.loss * idx.length,
        epochCount: s.epochCount + idx.length,
      };
      events.onBatch?.({
        epoch: s.epoch + 1,
        step: s.batch,
        steps,
        loss: r.loss,
        gradNorm,
        hiddenGradNorms: r.hiddenGradNorms,
      });
      if (now() - lastYield > 50) {
        await yieldToEventLoop();
        lastYield = now();
      }
    }
    if (stop !== null) break;
    // end of epoch: validate, schedule, early stopping
    const v = evaluateSplit(p, task, "valid");
    if (!Number.isFinite(v.loss)) {
      stop = {
        reason: "non-finite",
        message: `the validation loss became ${v.loss} after epoch ${s.epoch + 1}; kept the best weights so far`,
      };
      break;
    }
    const epoch = s.epoch + 1;
    const record: EpochRecord = {
      epoch,
      trainLoss: s.epochLoss / s.epochCount,
      validLoss: v.loss,
      validMetrics: v.metrics,
      lr: opt.lr,
      seconds: (now() - epochStart) / 1000,
    };
    const improved = s.best === null || v.loss < s.best.validLoss - (opts.minDelta ?? 0);
    s = {
      ...s,
      epoch,
      order: null,
      history: [...s.history, record],
      best: improved ? { epoch, validLoss: v.loss, params: Array.from(p.flat) } : s.best,
      badEpochs: improved ? 0 : s.badEpochs + 1,
    };
    if (schedule) opt.lr = schedule.step(v.loss);
    events.onEpoch?.(record);
    if (opts.patience > 0 && s.badEpochs >= opts.patience) {
      stop = {
        reason: "early-stopping",
        message: `early stopping after epoch ${epoch}: no validation improvement for ${opts.patience} epochs (best: epoch ${s.best?.epoch})`,
      };
    }
    await yieldToEventLoop();
    lastYield = now();
  }
  const state = snapshot();
  const reason = stop?.reason ?? "completed";
  if (reason !== "interrupted" && (opts.restoreBest ?? true) && s.best !== null) p.flat.set(s.best.params);
  else if (reason === "non-finite" && s.best !== null && !allFinite(p.flat)) p.flat.set(s.best.params);
  return {
    params: paramsFromFlat(p.config, p.flat),
    history: s.history,
    bestEpoch: s.best?.epoch ?? null,
    stopReason: reason,
    message: stop?.message ?? null,
    state,
    seconds: (now() - t0) / 1000,
  };
}
