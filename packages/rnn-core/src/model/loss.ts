/**
 * A loss on the head's output, and the whole training step built from it: forward, loss, backward.
 * Regression losses (mse, mae, huber) see the head's activation applied (identity unless configured);
 * the classification losses take the logits and fuse their own activation: "ce" is softmax
 * cross-entropy (PyTorch's CrossEntropyLoss), "bce" is binary cross-entropy with logits.
 */
import {
  ConfigError,
  type FloatArray,
  type Matrix,
  sigmoidBackwardInto,
  softmaxRowsBackwardInto,
  type Tensor3,
  zerosLike,
} from "@unrolled/linalg";
import {
  bceWithLogitsBackward,
  bceWithLogitsForward,
  huberBackward,
  huberForward,
  type LossOptions,
  maeBackward,
  maeForward,
  mseBackward,
  mseForward,
  softmaxCrossEntropyBackward,
  softmaxCrossEntropyForward,
} from "@unrolled/losses";
import type { ModelConfig } from "../config.js";
import { allocateParams, type ModelParams, paramsFromFlat } from "../params/params.js";
import type { BackwardOptions } from "../shared/sequence.js";
import { applyActivationInto } from "./head.js";
import { type BackwardResult, type ForwardOptions, type ModelInput, modelBackward, modelForward } from "./model.js";

export type LossKind = "mse" | "mae" | "huber" | "ce" | "bce";
export const LOSS_KINDS: readonly LossKind[] = ["mse", "mae", "huber", "ce", "bce"];

/** Targets in the layout of y (N rows): values (N, O) for regression and bce, class indices (N) or probabilities (N, O) for ce. */
export type Target = Matrix<FloatArray> | ArrayLike<number>;

export interface LossSpec extends LossOptions {
  readonly kind: LossKind;
  /** Huber's δ. */
  readonly delta?: number;
}

/** The loss of logits y (N, O) and ∂L/∂y. */
export function lossAndGradient(
  config: ModelConfig,
  y: Matrix<FloatArray>,
  target: Target,
  spec: LossSpec,
): { loss: number; dy: Matrix<FloatArray> } {
  const act = config.head.activation;
  const dy = zerosLike(y);
  const isMatrix = (t: Target): t is Matrix<FloatArray> => "rows" in t;
  if (spec.kind === "ce") {
    if (act === "sigmoid")
      throw new ConfigError('loss "ce" needs a head activation of "softmax" or "identity", got "sigmoid"');
    const { loss, cache } = softmaxCrossEntropyForward(y, target, spec);
    return { loss, dy: softmaxCrossEntropyBackward(cache, dy) };
  }
  if (!isMatrix(target)) throw new ConfigError(`loss "${spec.kind}" needs a target matrix (N, O), got class indices`);
  if (spec.kind === "bce") {
    if (act === "softmax")
      throw new ConfigError('loss "bce" needs a head activation of "sigmoid" or "identity", got "softmax"');
    const { loss, cache } = bceWithLogitsForward(y, target, spec);
    return { loss, dy: bceWithLogitsBackward(cache, dy) };
  }
  const pred = act === "identity" ? y : applyActivationInto(act, zerosLike(y), y); // ŷ = activation(y)
  const dPred = act === "identity" ? dy : zerosLike(y);
  let loss: number;
  if (spec.kind === "mse") {
    const r = mseForward(pred, target, spec);
    mseBackward(r.cache, dPred);
    loss = r.loss;
  } else if (spec.kind === "mae") {
    const r = maeForward(pred, target, spec);
    maeBackward(r.cache, dPred);
    loss = r.loss;
  } else if (spec.kind === "huber") {
    const r = huberForward(pred, target, spec);
    huberBackward(r.cache, dPred);
    loss = r.loss;
  } else {
    throw new ConfigError(`unknown loss ${JSON.stringify(spec.kind)}, expected one of ${LOSS_KINDS.join(", ")}`);
  }
  if (act === "sigmoid")
    sigmoidBackwardInto(dy, dPred, pred); // ŷ = σ(y)
  else if (act === "softmax") softmaxRowsBackwardInto(dy, dPred, pred); // ŷ = softmax(y)
  return { loss, dy };
}

export interface BackpropResult extends BackwardResult {
  readonly loss: number;
  /** Head logits (N, O). */
  readonly y: Matrix<FloatArray>;
  /** Final states (L·dirs, B, H). */
  readonly hN: Tensor3<FloatArray>;
  /** LSTM final cell states, else null. */
  readonly cN: Tensor3<FloatArray> | null;
}

/**
 * The loss over the steps that exist: for a many-to-many model of sequences with `lengths`, the rows
 * (b, t ≥ lengths[b]) of y are padding and weigh 0 (a mean is over the real steps only, as a loss on
 * PyTorch's packed output). Any weights the spec has are kept and multiplied in.
 */
export function maskPadding(
  config: ModelConfig,
  spec: LossSpec,
  dims: readonly [number, number],
  lengths: ArrayLike<number> | undefined,
): LossSpec {
  if (lengths === undefined || !config.returnSequences) return spec;
  const [B, T] = dims;
  const w = new Float64Array(B * T);
  for (let b = 0; b < B; b++) {
    const L = Math.min(T, lengths[b] as number);
    for (let t = 0; t < L; t++) w[b * T + t] = spec.weights ? (spec.weights[b * T + t] as number) : 1;
  }
  return { ...spec, weights: w };
}

/** One forward and backward pass: accumulates ∂L/∂θ into grads (which the caller zeroes). */
export function backprop(
  p: ModelParams,
  x: ModelInput,
  target: Target,
  spec: LossSpec,
  grads: ModelParams,
  opts: ForwardOptions & BackwardOptions = {},
): BackpropResult {
  const { y, hN, cN, cache } = modelForward(p, x, opts);
  const { loss, dy } = lossAndGradient(
    p.config,
    y,
    target,
    maskPadding(p.config, spec, [cache.B, cache.T], opts.lengths),
  );
  const back = modelBackward(cache, dy, grads, opts);
  return { loss, y, hN, cN, ...back };
}

/**
 * The loss as a function of the flat parameter vector θ, and its gradient by BPTT: the pair a
 * gradient checker compares (`checkGradients({ ...lossOfParams(config, x, target, spec), at })`).
 * Uses float64 parameters and x as given.
 */
export function lossOfParams(
  config: ModelConfig,
  x: ModelInput,
  target: Target,
  spec: LossSpec,
  opts: ForwardOptions = {},
): { f: (theta: Float64Array) => number; grad: (theta: Float64Array) => Float64Array } {
  const masked = maskPadding(config, spec, x.dims.slice(0, 2) as [number, number], opts.lengths);
  return {
    f: (theta) => lossAndGradient(config, modelForward(paramsFromFlat(config, theta), x, opts).y, target, masked).loss,
    grad: (theta) => {
      const grads = allocateParams(config, "float64");
      backprop(paramsFromFlat(config, theta), x, target, spec, grads, opts);
      return grads.flat as Float64Array;
    },
  };
}
