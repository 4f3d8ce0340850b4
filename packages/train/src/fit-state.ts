/**
 * The fit loop's complete state, as plain JSON: what a checkpoint stores so that a resumed run ends
 * bit-identical to an uninterrupted one.
 */
import { FormatError, Rng, type RngState } from "@unrolled/linalg";
import type { OptimizerState, ScheduleState } from "@unrolled/optimizers";
import type { Metrics } from "./task.js";

/** One epoch of a run's history. */
export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly validLoss: number;
  readonly validMetrics: Metrics;
  readonly lr: number;
  readonly seconds: number;
}

export interface FitState {
  /** Epochs completed. */
  readonly epoch: number;
  /** Next batch of the current epoch. */
  readonly batch: number;
  /** The current epoch's batches, each a list of sample indices (null between epochs). */
  readonly order: readonly (readonly number[])[] | null;
  /** Σ loss·batch size and Σ batch size so far in the current epoch. */
  readonly epochLoss: number;
  readonly epochCount: number;
  /** Training sequences seen so far (every epoch, and across resumes). */
  readonly sequences: number;
  /** Tasks with a criterion: the absolute errors of the last training sequences, oldest first. */
  readonly recent: readonly number[] | null;
  readonly history: readonly EpochRecord[];
  readonly best: { readonly epoch: number; readonly validLoss: number; readonly params: readonly number[] } | null;
  /** The untrained model's validation loss: the reference for divergence (see fit.ts). */
  readonly initialValidLoss: number | null;
  readonly badEpochs: number;
  readonly params: readonly number[];
  readonly optimizer: OptimizerState;
  readonly schedule: ScheduleState | null;
  readonly rng: RngState;
  /** Training seconds so far (across resumes). */
  readonly seconds: number;
}

const isInt = (v: unknown, min = 0): v is number => typeof v === "number" && Number.isInteger(v) && v >= min;
const numbers = (v: unknown, n?: number): v is number[] =>
  Array.isArray(v) &&
  (n === undefined || v.length === n) &&
  v.every((x) => typeof x === "number" && Number.isFinite(x));

/** Validates a FitState read from a file for a model with P parameters and N training sequences. */
export function validateFitState(v: unknown, P: number, N: number): FitState {
  const fail = (what: string): never => {
    throw new FormatError(`checkpoint: ${what}`);
  };
  if (v === null || typeof v !== "object") fail("the training state must be an object");
  const st = v as Partial<FitState>;
  if (!isInt(st.epoch) || !isInt(st.batch)) fail("epoch and batch must be integers ≥ 0");
  if (!numbers(st.params, P)) fail(`params must be ${P} finite numbers (the model's parameter count)`);
  const batchOk = (b: unknown) => Array.isArray(b) && b.length > 0 && b.every((i) => isInt(i) && i < N);
  if (st.order !== null && !(Array.isArray(st.order) && st.order.every(batchOk)))
    fail(`order must be null or batches of sequence indices below ${N}`);
  if (st.order && (st.batch as number) > st.order.length)
    fail(`batch ${st.batch} is past the epoch's ${st.order.length}`);
  if (typeof st.epochLoss !== "number" || !isInt(st.epochCount)) fail("epochLoss and epochCount must be numbers");
  if (!isInt(st.sequences)) fail("sequences must be an integer ≥ 0");
  if (st.recent !== null && !(Array.isArray(st.recent) && st.recent.every((e) => typeof e === "number" && e >= 0)))
    fail("recent must be null or a list of errors ≥ 0");
  if (!Array.isArray(st.history)) fail("history must be an array");
  if (
    st.best !== null &&
    !(
      typeof st.best === "object" &&
      isInt(st.best?.epoch, 1) &&
      typeof st.best?.validLoss === "number" &&
      numbers(st.best?.params, P)
    )
  ) {
    fail("best must be null or {epoch, validLoss, params}");
  }
  if (!isInt(st.badEpochs)) fail("badEpochs must be an integer ≥ 0");
  if (st.initialValidLoss !== null && !(typeof st.initialValidLoss === "number" && st.initialValidLoss >= 0))
    fail("initialValidLoss must be null or a number ≥ 0");
  if (typeof st.seconds !== "number") fail("seconds must be a number");
  try {
    Rng.fromState(st.rng);
  } catch (e) {
    fail((e as Error).message);
  }
  return st as FitState;
}
