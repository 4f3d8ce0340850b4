/**
 * The whole network: L stacked layers, each one or two directions, then the head.
 *
 *   layer 0 reads x; layer k > 0 reads layer k−1's output; a bidirectional layer's output at step t is
 *   [h_fwd,t ; h_bwd,t] (H·2 features, forward first, as PyTorch). The backward direction is the same
 *   recurrence run over the time-reversed sequence, and its outputs are reversed back.
 *   The head reads every step (returnSequences, many-to-many) or only step T−1 (many-to-one; for a
 *   bidirectional model that is PyTorch's output[:, -1, :]).
 *
 * The recurrence is an Elman RNN, an LSTM or a GRU (cells.ts); only the LSTM also carries c.
 *
 * Shapes: x (B, T, D) batch-first; h0, hN, c0, cN (L·dirs, B, H); y (N, O) logits with N = B·T rows
 * in (b, t) order, or N = B. Internally everything is time-major (see time-major.ts).
 */
import {
  allocLike,
  assertSameDType,
  DTypeError,
  dtypeOf,
  type FloatArray,
  Matrix,
  rowsView,
  ShapeError,
  slice2d,
  type Tensor3,
  tensor3,
} from "@unrolled/linalg";
import { directions } from "../config.js";
import { cellAt, type ModelParams } from "../params/params.js";
import type { BackwardOptions } from "../rnn/rnn-sequence.js";
import { SEQUENCES, type SequenceCache } from "./cells.js";
import { headBackward, headForward } from "./head.js";
import { reverseTime, toBatchFirst, toTimeMajor } from "./time-major.js";

export interface ForwardOptions {
  /** Initial states (L·dirs, B, H), PyTorch's h_0 layout; zeros when omitted. */
  readonly h0?: Tensor3<FloatArray>;
  /** LSTM initial cell states (L·dirs, B, H), PyTorch's c_0; zeros when omitted. */
  readonly c0?: Tensor3<FloatArray>;
}

interface LayerCache {
  readonly input: Matrix<FloatArray>; // (T·B, D_k) time-major
  readonly dirs: readonly SequenceCache[];
  readonly hs: readonly Matrix<FloatArray>[]; // per direction ((T+1)·B, H)
  readonly output: Matrix<FloatArray>; // (T·B, H·dirs)
}

export interface ModelCache {
  readonly B: number;
  readonly T: number;
  readonly layers: readonly LayerCache[];
  /** What the head read: (T·B, H·dirs) for many-to-many, (B, H·dirs) for many-to-one. */
  readonly headInput: Matrix<FloatArray>;
}

export interface ForwardResult {
  /** Head logits (N, O), before the activation. */
  readonly y: Matrix<FloatArray>;
  /** Final states (L·dirs, B, H). */
  readonly hN: Tensor3<FloatArray>;
  /** LSTM final cell states (L·dirs, B, H); null for the other cells. */
  readonly cN: Tensor3<FloatArray> | null;
  readonly cache: ModelCache;
}

export interface BackwardResult {
  /** ∂L/∂x (B, T, D); null when `inputGradient: false`. */
  readonly dx: Tensor3<FloatArray> | null;
  /** ∂L/∂h0 (L·dirs, B, H) (zeros under truncation). */
  readonly dh0: Tensor3<FloatArray>;
  /** LSTM: ∂L/∂c0 (L·dirs, B, H); null for the other cells. */
  readonly dc0: Tensor3<FloatArray> | null;
  /** ‖∂L/∂hₜ‖ per layer (rows) and step (columns), both directions combined. */
  readonly hiddenGradNorms: number[][];
}

function checkInput(p: ModelParams, x: Tensor3<FloatArray>, opts: ForwardOptions): void {
  const [B, T, D] = x.dims;
  const c = p.config;
  if (D !== c.inputSize || B < 1 || T < 1) {
    throw new ShapeError("modelForward", "x", x.dims, [null, null, c.inputSize], "(B ≥ 1, T ≥ 1, D)");
  }
  if (dtypeOf(x.data) !== p.dtype)
    throw new DTypeError("modelForward", "x", dtypeOf(x.data), `${p.dtype} like the parameters`);
  const want = [c.numLayers * directions(c), B, c.hiddenSize];
  if (opts.c0 !== undefined && c.cell !== "lstm")
    throw new ShapeError("modelForward", "c0", opts.c0.dims, [0, 0, 0], "(none: only an LSTM has a cell state)");
  for (const [name, s] of [
    ["h0", opts.h0],
    ["c0", opts.c0],
  ] as const) {
    if (s === undefined) continue;
    if (s.dims.some((d, i) => d !== want[i]))
      throw new ShapeError("modelForward", name, s.dims, want, "(L·dirs, B, H)");
    if (dtypeOf(s.data) !== p.dtype) throw new DTypeError("modelForward", name, dtypeOf(s.data), p.dtype);
  }
}

/** Forward pass over a batch of sequences. */
export function modelForward(p: ModelParams, x: Tensor3<FloatArray>, opts: ForwardOptions = {}): ForwardResult {
  checkInput(p, x, opts);
  const c = p.config;
  const [B, T] = x.dims;
  const [H, dirs] = [c.hiddenSize, directions(c)];
  const S = c.numLayers * dirs;
  const hN = tensor3(S, B, H, allocLike(x.data, S * B * H));
  const cN = c.cell === "lstm" ? tensor3(S, B, H, allocLike(x.data, S * B * H)) : null;
  const zeroState = () => new Matrix(B, H, allocLike(x.data, B * H));
  const layers: LayerCache[] = [];
  let input = toTimeMajor(x.data, B, T, c.inputSize); // (T·B, D)
  for (let k = 0; k < c.numLayers; k++) {
    const caches: SequenceCache[] = [];
    const hss: Matrix<FloatArray>[] = [];
    for (let d = 0; d < dirs; d++) {
      const h0 = opts.h0 ? slice2d(opts.h0, k * dirs + d) : zeroState();
      const c0 = cN ? (opts.c0 ? slice2d(opts.c0, k * dirs + d) : zeroState()) : null;
      const xs = d === 0 ? input : reverseTime(input, B); // the backward direction reads time reversed
      const { hs, cs, cache } = SEQUENCES[c.cell].forward(cellAt(p, k, d), c.nonlinearity, xs, h0, c0);
      caches.push(cache);
      hss.push(hs);
      slice2d(hN, k * dirs + d).data.set(hs.data.subarray(T * B * H)); // final state: the last row block
      if (cN && cs) slice2d(cN, k * dirs + d).data.set(cs.data.subarray(T * B * H));
    }
    const output = dirs === 1 ? rowsView(hss[0] as Matrix<FloatArray>, B, (T + 1) * B) : concatDirections(hss, B, T, H);
    layers.push({ input, dirs: caches, hs: hss, output });
    input = output;
  }
  const headInput = c.returnSequences ? input : rowsView(input, (T - 1) * B, T * B); // (T·B or B, H·dirs)
  const yTime = headForward(p.head, headInput);
  const y = c.returnSequences ? toBatchFirst(yTime, B, T) : yTime; // (N, O) in (b, t) order
  return { y, hN, cN, cache: { B, T, layers, headInput } };
}

/** [h_fwd,t ; h_bwd,t] for every step: (T·B, 2H) from the two directions' hs ((T+1)·B, H). */
function concatDirections(hss: readonly Matrix<FloatArray>[], B: number, T: number, H: number): Matrix<FloatArray> {
  const [f, r] = hss as [Matrix<FloatArray>, Matrix<FloatArray>];
  const out = new Matrix(T * B, 2 * H, allocLike(f.data, T * B * 2 * H));
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * 2 * H;
      out.data.set(f.data.subarray(((t + 1) * B + b) * H, ((t + 1) * B + b + 1) * H), row); // step t of the forward pass
      out.data.set(r.data.subarray(((T - t) * B + b) * H, ((T - t) * B + b + 1) * H), row + H); // step T−1−t of the reverse
    }
  }
  return out;
}

/**
 * Backpropagation through the head and every layer. dy (N, O) is ∂L/∂y in the layout modelForward
 * returned. Accumulates into grads; returns ∂L/∂x, ∂L/∂h0 and the per-step hidden gradient norms.
 */
export function modelBackward(
  p: ModelParams,
  cache: ModelCache,
  dy: Matrix<FloatArray>,
  grads: ModelParams,
  opts: BackwardOptions = {},
): BackwardResult {
  const c = p.config;
  const { B, T, layers, headInput } = cache;
  const [H, dirs] = [c.hiddenSize, directions(c)];
  if (dy.rows !== headInput.rows || dy.cols !== c.head.outputSize) {
    throw new ShapeError("modelBackward", "dy", dy.shape, [headInput.rows, c.head.outputSize], "(N, O)");
  }
  assertSameDType("modelBackward", "grads", grads.head.W_hy, "dy", dy);
  // head: y = h·W_hyᵀ + b_y, at every step or at step T−1 only
  let dOut = new Matrix(T * B, H * dirs, allocLike(dy.data, T * B * H * dirs)); // ∂L/∂(top layer output), time-major
  const dyTime = c.returnSequences ? toTimeMajor(dy.data, B, T, dy.cols) : dy;
  headBackward(p.head, headInput, dyTime, grads.head, c.returnSequences ? dOut : rowsView(dOut, (T - 1) * B, T * B));

  const S = c.numLayers * dirs;
  const dh0 = tensor3(S, B, H, allocLike(dy.data, S * B * H));
  const dc0 = c.cell === "lstm" ? tensor3(S, B, H, allocLike(dy.data, S * B * H)) : null;
  const norms: number[][] = [];
  for (let k = c.numLayers - 1; k >= 0; k--) {
    const layer = layers[k] as LayerCache;
    // ∂L/∂(this layer's input): the layer below needs it; the model's input only if asked for
    const wantInput = k > 0 || opts.inputGradient !== false;
    const dIn = wantInput ? new Matrix(T * B, layer.input.cols, allocLike(dy.data, T * B * layer.input.cols)) : null; // (T·B, D_k)
    const sq = new Float64Array(T);
    for (let d = 0; d < dirs; d++) {
      const dhs = dirs === 1 ? dOut : splitDirection(dOut, d, B, T, H); // (T·B, H) in this direction's step order
      const dxs = dIn && (d === 0 ? dIn : new Matrix(dIn.rows, dIn.cols, allocLike(dIn.data, dIn.data.length)));
      const seq = layer.dirs[d] as SequenceCache;
      const {
        dh0: g0,
        dc0: gc0,
        dhNorms,
      } = SEQUENCES[c.cell].backward(cellAt(p, k, d), c.nonlinearity, seq, dhs, cellAt(grads, k, d), dxs, opts);
      if (d === 1 && dIn && dxs) {
        const back = reverseTime(dxs, B); // the reverse direction read x reversed: un-reverse its dx
        for (let i = 0; i < dIn.data.length; i++) dIn.data[i] = (dIn.data[i] as number) + (back.data[i] as number);
      }
      slice2d(dh0, k * dirs + d).data.set(g0.data);
      if (dc0 && gc0) slice2d(dc0, k * dirs + d).data.set(gc0.data);
      for (let s = 0; s < T; s++) {
        const t = d === 0 ? s : T - 1 - s; // step s of the reverse direction is time T−1−s
        sq[t] = (sq[t] as number) + (dhNorms[s] as number) ** 2;
      }
    }
    norms[k] = Array.from(sq, Math.sqrt);
    if (dIn) dOut = dIn; // the layer below receives ∂L/∂(its output)
  }
  const dx = opts.inputGradient === false ? null : tensor3(B, T, c.inputSize, toBatchFirst(dOut, B, T).data);
  return { dx, dh0, dc0, hiddenGradNorms: norms };
}

/** Direction d's share of ∂L/∂output (T·B, H·2), in that direction's step order. */
function splitDirection(dOut: Matrix<FloatArray>, d: number, B: number, T: number, H: number): Matrix<FloatArray> {
  const out = new Matrix(T * B, H, allocLike(dOut.data, T * B * H));
  for (let t = 0; t < T; t++) {
    const s = d === 0 ? t : T - 1 - t; // the reverse direction handles time t at its step T−1−t
    for (let b = 0; b < B; b++) {
      const from = (t * B + b) * 2 * H + d * H;
      out.data.set(dOut.data.subarray(from, from + H), (s * B + b) * H);
    }
  }
  return out;
}
