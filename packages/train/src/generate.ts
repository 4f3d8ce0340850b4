/**
 * Using a trained model one step at a time: sampling text from a character model, and forecasting a
 * series autoregressively (each prediction is fed back as the next input).
 */

import { decode, encode, inverseValue, type Scaler, transformValue, type Vocabulary } from "@unrolled/datasets";
import { ConfigError, DataError, fromArray, type Rng } from "@unrolled/linalg";
import { initialState, type ModelParams, modelStep, type StepState } from "@unrolled/rnn-core";

export interface SampleOptions {
  /** Softmax temperature: < 1 sharper, > 1 flatter (default 1). */
  readonly temperature?: number;
  /** Sample only among the k most likely symbols (default: all). */
  readonly topK?: number;
}

/** Draws an index from softmax(logits / temperature), optionally restricted to the top k. */
export function sampleLogits(logits: ArrayLike<number>, rng: Rng, opts: SampleOptions = {}): number {
  const T = opts.temperature ?? 1;
  if (!(T > 0) || !Number.isFinite(T)) throw new ConfigError(`sampling: temperature must be a number > 0, got ${T}`);
  const n = logits.length;
  const k = opts.topK ?? n;
  if (!Number.isInteger(k) || k < 1) throw new ConfigError(`sampling: topK must be an integer ≥ 1, got ${k}`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (logits[b] as number) - (logits[a] as number));
  const keep = order.slice(0, Math.min(k, n));
  const m = logits[keep[0] as number] as number;
  const w = keep.map((i) => Math.exp(((logits[i] as number) - m) / T));
  let u = rng.next() * w.reduce((a, b) => a + b, 0);
  for (let j = 0; j < keep.length; j++) {
    u -= w[j] as number;
    if (u < 0) return keep[j] as number;
  }
  return keep[keep.length - 1] as number;
}

export interface GenerateOptions extends SampleOptions {
  readonly length: number;
  /** Text to condition on first (default: one random character). */
  readonly prime?: string;
  readonly rng: Rng;
}

/** `length` characters sampled from a character model after reading `prime`. */
export function generateText(p: ModelParams, vocab: Vocabulary, opts: GenerateOptions): string {
  const V = vocab.chars.length;
  if (p.config.inputSize !== V || p.config.head.outputSize !== V) {
    throw new ConfigError(
      `generate: the model reads ${p.config.inputSize} symbols but its vocabulary has ${V}; is it a character model?`,
    );
  }
  if (!Number.isInteger(opts.length) || opts.length < 1)
    throw new ConfigError(`generateText: length must be an integer ≥ 1, got ${opts.length}`);
  const prime = opts.prime && opts.prime.length > 0 ? encode(vocab, opts.prime) : Int32Array.of(opts.rng.int(0, V));
  let state: StepState = initialState(p, 1);
  const x = new Int32Array(1); // the current character's id
  let logits: ArrayLike<number> = new Float64Array(V);
  const feed = (id: number) => {
    x[0] = id;
    const r = modelStep(p, x, state);
    state = r.state;
    logits = r.y.data;
  };
  for (const id of prime) feed(id);
  const out: number[] = [];
  for (let i = 0; i < opts.length; i++) {
    const id = sampleLogits(logits, opts.rng, opts);
    out.push(id);
    feed(id);
  }
  return decode(vocab, out);
}

/**
 * Autoregressive forecast of a univariate series model (its one feature is its target, one step
 * ahead): read the last `history` values, predict the next, feed it back, `steps` times. Raw units in
 * and out; the model file's scalers do the rest.
 */
export function forecastSeries(
  p: ModelParams,
  scalers: { feature: Scaler; target: Scaler },
  history: ArrayLike<number>,
  steps: number,
): Float64Array {
  if (p.config.inputSize !== 1 || p.config.head.outputSize !== 1) {
    throw new ConfigError("forecast: needs a model of one series predicting its own next value (1 input, 1 output)");
  }
  if (!Number.isInteger(steps) || steps < 1)
    throw new ConfigError(`forecastSeries: steps must be an integer ≥ 1, got ${steps}`);
  if (history.length < 1) throw new DataError("forecast: no history to start from");
  let state: StepState = initialState(p, 1);
  const x = fromArray([0], 1, 1, p.dtype);
  let y = 0;
  const feed = (raw: number) => {
    x.data[0] = transformValue(scalers.feature, 0, raw);
    const r = modelStep(p, x, state);
    state = r.state;
    y = inverseValue(scalers.target, 0, r.y.data[0] as number);
  };
  for (let i = 0; i < history.length; i++) feed(history[i] as number);
  const out = new Float64Array(steps);
  for (let s = 0; s < steps; s++) {
    out[s] = y;
    if (s + 1 < steps) feed(y);
  }
  return out;
}
