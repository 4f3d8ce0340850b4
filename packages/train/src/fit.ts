/**
 * The fit loop. Per epoch: draw the batches (seeded; sequences of different lengths are bucketed by
 * length), then per batch
 *   zero the gradients → forward + loss + BPTT → check they are finite → clip → optimizer step;
 * then validate, step the learning-rate schedule, and keep the best weights for early stopping.
 * It owns no maths: every piece is a package function. It yields to the event loop every ~50 ms so a
 * Ctrl-C (CLI) or a pause (web worker) is seen at the next batch boundary, where the whole state —
 * weights, optimizer, schedule, RNG, position in the epoch — is captured for an exact resume.
 */
import {
  allFinite,
  ConfigError,
  createRng,
  type FloatArray,
  FormatError,
  type Matrix,
  Rng,
  vectorNorm,
} from "@unrolled/linalg";
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
import {
  backprop,
  isTokenBatch,
  type ModelInput,
  type ModelParams,
  paramsFromFlat,
  zeroGrads,
  zerosLikeParams,
} from "@unrolled/rnn-core";
import { epochBatches } from "./batches.js";
import { absoluteErrors, isSolved, recentErrors } from "./criterion.js";
import { evaluateSplit } from "./evaluate.js";
import type { EpochRecord, FitState } from "./fit-state.js";
import type { Task } from "./task.js";
import { checkLoopFields, type LoopFields } from "./validate.js";

export interface FitOptions extends LoopFields {
  /** Shuffle the sequences every epoch (false keeps their order; the last, smaller batch is kept). */
  readonly shuffle: boolean;
  readonly optimizer: OptimizerConfig;
  readonly schedule?: ScheduleConfig;
  /** When stopping, go back to the weights of the best validation epoch (default true). */
  readonly restoreBest?: boolean;
}

export interface BatchInfo {
  readonly epoch: number;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  readonly gradNorm: number;
  /** The learning rate the step used. */
  readonly lr: number;
  /** The training sequences the batch held (indices into the task's training split), in order. */
  readonly indices: readonly number[];
  /** ‖∂L/∂hₜ‖ per layer and step for this batch. */
  readonly hiddenGradNorms: readonly (readonly number[])[];
}

export interface FitEvents {
  onBatch?(info: BatchInfo): void;
  /** After each epoch's validation; `params` are the weights being trained (live: copy what you keep). */
  onEpoch?(record: EpochRecord, params: ModelParams): void;
  /** Polled between batches; true stops with reason "interrupted" and a resumable state. */
  shouldStop?(): boolean;
}

/**
 * Why training ended. "non-finite": a loss, gradient or weight became NaN or ±∞; "diverged": the
 * validation loss grew past DIVERGENCE times the untrained model's — a run that has made the model far
 * worse than where it started (an adaptive optimizer at too large a learning rate, typically). Both keep
 * the best weights so far and are failures. "solved": the task's criterion was met on the training stream
 * (criterion.ts); the weights that met it are kept.
 */
export type StopReason = "completed" | "early-stopping" | "non-finite" | "diverged" | "interrupted" | "solved";

/** A validation loss this many times the untrained model's is divergence. */
export const DIVERGENCE = 10;

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

/** Checks every option, in the library's words (`options.batchSize must be an integer ≥ 1, got 0`). */
export function validateFitOptions(o: FitOptions): void {
  checkLoopFields("options.", o);
  createOptimizer(o.optimizer, 0); // the optimizer validates its own hyperparameters
}

const now = () => performance.now();
const yieldToEventLoop = () => new Promise<void>((r) => setTimeout(r, 0));

interface Stop {
  readonly reason: StopReason;
  readonly message: string | null;
}

/** What one fit() call carries from batch to batch. */
interface Loop {
  readonly p: ModelParams;
  readonly task: Task;
  readonly opts: FitOptions;
  readonly events: FitEvents;
  readonly grads: ModelParams;
  /** The weights before the last step, to fall back on if it made them non-finite. */
  readonly lastGood: FloatArray;
  readonly opt: Optimizer;
  readonly schedule: Schedule | null;
  readonly rng: Rng;
  readonly t0: number;
  s: FitState;
  epochStart: number;
  lastYield: number;
}

/** Trains `p` in place on `task`; resumes from `resume` when given (a state from an earlier FitResult). */
export async function fit(
  p: ModelParams,
  task: Task,
  opts: FitOptions,
  events: FitEvents = {},
  resume?: FitState,
): Promise<FitResult> {
  validateFitOptions(opts);
  if (task.train.count === 0) throw new ConfigError("fit: the training split has no sequences");
  const loop = resume ? resumeLoop(p, task, opts, events, resume) : startLoop(p, task, opts, events);
  let stop: Stop | null = null;
  while (loop.s.epoch < opts.epochs && stop === null) {
    if (loop.s.order === null) startEpoch(loop);
    const batches = loop.s.order as readonly (readonly number[])[];
    while (loop.s.batch < batches.length && stop === null) {
      stop = events.shouldStop?.() ? interrupted(loop, batches.length) : trainBatch(loop, batches);
      if (now() - loop.lastYield > 50) await pause(loop);
    }
    stop ??= endEpoch(loop);
    await pause(loop);
  }
  return finish(loop, stop);
}

function startLoop(p: ModelParams, task: Task, opts: FitOptions, events: FitEvents): Loop {
  const opt = createOptimizer(opts.optimizer, p.flat.length);
  const schedule = opts.schedule ? createSchedule(opts.schedule, opts.optimizer.lr) : null;
  const rng = createRng(opts.seed);
  const s: FitState = {
    epoch: 0,
    batch: 0,
    order: null,
    epochLoss: 0,
    epochCount: 0,
    sequences: 0,
    recent: task.criterion ? [] : null,
    history: [],
    best: null,
    initialValidLoss: evaluateSplit(p, task, "valid").loss,
    badEpochs: 0,
    params: [],
    optimizer: opt.getState(),
    schedule: null,
    rng: rng.getState(),
    seconds: 0,
  };
  return openLoop(p, task, opts, events, { opt, schedule, rng, s });
}

function resumeLoop(p: ModelParams, task: Task, opts: FitOptions, events: FitEvents, resume: FitState): Loop {
  // a checkpoint's epoch order must index this task's sequences (a file can say anything)
  const N = task.train.count;
  const stray = resume.order?.flat().find((i) => !(Number.isInteger(i) && i >= 0 && i < N));
  if (stray !== undefined)
    throw new FormatError(`checkpoint: order holds sequence ${stray}, but the task has ${N} training sequences`);
  p.flat.set(resume.params);
  const opt = restoreOptimizer(resume.optimizer, p.flat.length);
  const schedule = resume.schedule ? restoreSchedule(resume.schedule) : null;
  const s = { ...resume, history: [...resume.history] };
  return openLoop(p, task, opts, events, { opt, schedule, rng: Rng.fromState(resume.rng), s });
}

function openLoop(
  p: ModelParams,
  task: Task,
  opts: FitOptions,
  events: FitEvents,
  from: Pick<Loop, "opt" | "schedule" | "rng" | "s">,
): Loop {
  if (from.schedule) from.opt.lr = from.schedule.lr;
  const t = now();
  return {
    p,
    task,
    opts,
    events,
    grads: zerosLikeParams(p),
    lastGood: p.flat.slice(),
    ...from,
    t0: t,
    epochStart: t,
    lastYield: t,
  };
}

/** A new epoch: its batches are drawn now and saved, so a resumed run replays the same ones. */
function startEpoch(loop: Loop): void {
  const { opts, task } = loop;
  const B = Math.min(opts.batchSize, task.train.count);
  const batches = epochBatches(task.train, B, opts.shuffle, loop.rng, loop.s.epoch);
  const keep = opts.batchesPerEpoch ? batches.slice(0, opts.batchesPerEpoch) : batches;
  loop.s = { ...loop.s, order: keep, batch: 0, epochLoss: 0, epochCount: 0 };
  loop.epochStart = now();
}

/** One batch: zero the gradients, BPTT, check, clip, step. Returns why training must stop, if it must. */
function trainBatch(loop: Loop, batches: readonly (readonly number[])[]): Stop | null {
  const { p, task, opts, grads, s } = loop;
  const idx = batches[s.batch] as readonly number[];
  const batch = task.train.batch(idx, p.dtype);
  if (opts.inputDropout) dropInputs(batch.x, opts.inputDropout, loop.rng);
  zeroGrads(grads);
  const dropout = (p.config.dropout ?? 0) > 0 || (p.config.head.dropout ?? 0) > 0;
  const r = backprop(p, batch.x, batch.target, task.loss, grads, {
    inputGradient: false,
    ...(opts.truncate ? { truncate: opts.truncate } : {}),
    ...(batch.lengths ? { lengths: batch.lengths } : {}),
    ...(dropout ? { dropout: loop.rng } : {}), // masks from the run's seeded stream (in the checkpoint)
  });
  const where = `epoch ${s.epoch + 1}, step ${s.batch + 1}`;
  const advice = "(a smaller learning rate, or clipping the gradient norm, may help)";
  if (!Number.isFinite(r.loss) || !allFinite(grads.flat)) {
    const what = Number.isFinite(r.loss) ? "the gradient became non-finite" : `the loss became ${r.loss}`;
    return { reason: "non-finite", message: `${what} at ${where} ${advice}` };
  }
  if (opts.clipValue !== undefined) clipGradValue(grads.flat, opts.clipValue);
  const gradNorm = opts.clipNorm !== undefined ? clipGradNorm(grads.flat, opts.clipNorm) : vectorNorm(grads.flat);
  loop.lastGood.set(p.flat);
  loop.opt.step(p.flat, grads.flat);
  if (!allFinite(p.flat)) {
    p.flat.set(loop.lastGood);
    return { reason: "non-finite", message: `the weights became non-finite at ${where} ${advice}` };
  }
  const c = task.criterion;
  const recent =
    c && s.recent ? recentErrors(s.recent, absoluteErrors(r.y, batch.target as Matrix<FloatArray>), c.window) : null;
  loop.s = {
    ...s,
    batch: s.batch + 1,
    epochLoss: s.epochLoss + r.loss * idx.length,
    epochCount: s.epochCount + idx.length,
    sequences: s.sequences + idx.length,
    recent,
  };
  const info = {
    epoch: s.epoch + 1,
    step: s.batch + 1,
    steps: batches.length,
    loss: r.loss,
    gradNorm,
    lr: loop.opt.lr,
  };
  loop.events.onBatch?.({ ...info, indices: idx, hiddenGradNorms: r.hiddenGradNorms });
  if (c && recent && isSolved(recent, c)) {
    const message = `solved after ${loop.s.sequences} training sequences: the last ${c.window} each within ${c.maxError}`;
    return { reason: "solved", message };
  }
  return null;
}

/** Input dropout on a batch (its own fresh arrays): each value zeroed with probability p, the rest scaled by 1/(1 − p). */
function dropInputs(x: ModelInput, p: number, rng: Rng): void {
  if (isTokenBatch(x))
    throw new ConfigError("options.inputDropout applies to dense inputs; token ids have none to drop");
  const data = x.data;
  const keep = 1 / (1 - p);
  for (let i = 0; i < data.length; i++) data[i] = rng.next() < p ? 0 : (data[i] as number) * keep;
}

function interrupted(loop: Loop, steps: number): Stop {
  return {
    reason: "interrupted",
    message: `interrupted at epoch ${loop.s.epoch + 1}, step ${loop.s.batch + 1} of ${steps}`,
  };
}

/** End of an epoch: validate, record, keep the best weights, step the schedule, early stopping. */
function endEpoch(loop: Loop): Stop | null {
  const { p, task, opts, s } = loop;
  const v = evaluateSplit(p, task, "valid");
  if (!Number.isFinite(v.loss)) {
    const message = `the validation loss became ${v.loss} after epoch ${s.epoch + 1}; kept the best weights so far`;
    return { reason: "non-finite", message };
  }
  if (s.initialValidLoss !== null && v.loss > DIVERGENCE * s.initialValidLoss) {
    const [now, start] = [v.loss.toPrecision(4), s.initialValidLoss.toPrecision(4)];
    const message = `the validation loss diverged to ${now} after epoch ${s.epoch + 1}, over ${DIVERGENCE}× the untrained model's ${start} (a smaller learning rate, or clipping the gradient norm, may help); ${s.best ? `kept epoch ${s.best.epoch}'s weights` : "no epoch was better"}`;
    return { reason: "diverged", message };
  }
  const epoch = s.epoch + 1;
  const record: EpochRecord = {
    epoch,
    trainLoss: s.epochLoss / s.epochCount,
    validLoss: v.loss,
    validMetrics: v.metrics,
    lr: loop.opt.lr,
    seconds: (now() - loop.epochStart) / 1000,
  };
  const improved = s.best === null || v.loss < s.best.validLoss - (opts.minDelta ?? 0);
  loop.s = {
    ...s,
    epoch,
    order: null,
    history: [...s.history, record],
    best: improved ? { epoch, validLoss: v.loss, params: Array.from(p.flat) } : s.best,
    badEpochs: improved ? 0 : s.badEpochs + 1,
  };
  if (loop.schedule) loop.opt.lr = loop.schedule.step(v.loss);
  loop.events.onEpoch?.(record, p);
  if (opts.patience > 0 && loop.s.badEpochs >= opts.patience) {
    const best = loop.s.best?.epoch;
    const message = `early stopping after epoch ${epoch}: no validation improvement for ${opts.patience} epochs (best: epoch ${best})`;
    return { reason: "early-stopping", message };
  }
  return null;
}

async function pause(loop: Loop): Promise<void> {
  await yieldToEventLoop();
  loop.lastYield = now();
}

/** The result: the state to resume from, and the weights to keep (the best epoch's, if restoring). */
function finish(loop: Loop, stop: Stop | null): FitResult {
  const { p, opts, s } = loop;
  const state: FitState = {
    ...s,
    params: Array.from(p.flat),
    optimizer: loop.opt.getState(),
    schedule: loop.schedule ? loop.schedule.getState() : null,
    rng: loop.rng.getState(),
    seconds: s.seconds + (now() - loop.t0) / 1000,
  };
  const reason = stop?.reason ?? "completed";
  const kept = reason === "interrupted" || reason === "solved"; // resumable, or the weights that met the criterion
  if (!kept && (opts.restoreBest ?? true) && s.best !== null) p.flat.set(s.best.params);
  else if (reason === "non-finite" && s.best !== null && !allFinite(p.flat)) p.flat.set(s.best.params);
  else if (reason === "diverged" && s.best !== null) p.flat.set(s.best.params); // the last weights are far worse
  return {
    params: paramsFromFlat(p.config, p.flat),
    history: s.history,
    bestEpoch: s.best?.epoch ?? null,
    stopReason: reason,
    message: stop?.message ?? null,
    state,
    seconds: (now() - loop.t0) / 1000,
  };
}
