/**
 * The whole network: L stacked layers, each one or two directions, then the head.
 *
 *   layer 0 reads x; layer k > 0 reads layer k−1's output; a bidirectional layer's output at step t is
 *   [h_fwd,t ; h_bwd,t] (H·2 features, forward first, as PyTorch). The backward direction is the same
 *   recurrence run over the time-reversed sequence, and its outputs are reversed back.
 *   The head reads every step (returnSequences, many-to-many) or only step T−1 (many-to-one; for a
 *   bidirectional model that is PyTorch's output[:, -1, :]).
 *
 * The recurrence is an Elman RNN, an LSTM or a GRU (cells.ts); only the LSTM also carries c. Every
 * intermediate lives in the model's workspace (workspace.ts), reused from batch to batch; what is
 * returned (y, final states, gradients of the inputs) is the caller's own copy.
 *
 * Shapes: x (B, T, D) batch-first; h0, hN, c0, cN (L·dirs, B, H); y (N, O) logits with N = B·T rows
 * in (b, t) order, or N = B. Internally everything is time-major (see time-major.ts).
 */
import {
  allocLike,
  assertSameDType,
  ConfigError,
  DTypeError,
  dtypeOf,
  type FloatArray,
  Matrix,
  rowsView,
  ShapeError,
  type Tensor3,
  tensor3,
} from "@unrolled/linalg";
import { directions } from "../config.js";
import { cellAt, type ModelParams } from "../params/params.js";
import { type BackwardOptions, type Sequence, truncation } from "../shared/sequence.js";
import { SEQUENCES } from "./cells.js";
import { headBackward, headForwardInto } from "./head.js";
import { reverseTimeInto, toBatchFirstInto, toTimeMajorInto } from "./time-major.js";
import { type LayerBuffers, type Workspace, workspaceFor } from "./workspace.js";

export interface ForwardOptions {
  /** Initial states (L·dirs, B, H), PyTorch's h_0 layout; zeros when omitted. */
  readonly h0?: Tensor3<FloatArray>;
  /** LSTM initial cell states (L·dirs, B, H), PyTorch's c_0; zeros when omitted. */
  readonly c0?: Tensor3<FloatArray>;
  /** Where the intermediates live; by default the one workspace of the model's config and dtype. */
  readonly workspace?: Workspace;
}

/** What modelBackward needs from a forward: its workspace, and which forward on it this was. */
export interface ModelCache {
  readonly workspace: Workspace;
  readonly generation: number;
  readonly B: number;
  readonly T: number;
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
  const ws = opts.workspace;
  if (ws !== undefined && (ws.config !== c || ws.dtype !== p.dtype))
    throw new ConfigError("modelForward: the workspace was made for another config or dtype");
}

/** Forward pass over a batch of sequences. */
export function modelForward(p: ModelParams, x: Tensor3<FloatArray>, opts: ForwardOptions = {}): ForwardResult {
  checkInput(p, x, opts);
  const c = p.config;
  const [B, T, D] = x.dims;
  const [H, dirs] = [c.hiddenSize, directions(c)];
  const S = c.numLayers * dirs;
  const ws = opts.workspace ?? workspaceFor(c, p.dtype);
  ws.layout(B, T);
  ws.generation++;
  const w = ws.weights as ModelParams;
  w.flat.set(p.flat); // the kernels read this copy
  const hN = tensor3(S, B, H, allocLike(x.data, S * B * H));
  const cN = c.cell === "lstm" ? tensor3(S, B, H, allocLike(x.data, S * B * H)) : null;
  toTimeMajorInto((ws.layers[0] as LayerBuffers).input.data, x.data, B, T, D);
  for (let k = 0; k < c.numLayers; k++) {
    const layer = ws.layers[k] as LayerBuffers;
    for (let d = 0; d < dirs; d++) {
      const s = layer.dirs[d] as Sequence;
      const at = k * dirs + d;
      if (d === 1) reverseTimeInto(s.x.data, layer.input.data, B, T, layer.input.cols); // reads time reversed
      if (opts.h0) copy(s.hs.data, 0, opts.h0.data, at * B * H, B * H);
      else s.hs.data.fill(0, 0, B * H);
      if (s.cs) {
        if (opts.c0) copy(s.cs.data, 0, opts.c0.data, at * B * H, B * H);
        else s.cs.data.fill(0, 0, B * H);
      }
      SEQUENCES[c.cell].forward(cellAt(w, k, d), c.nonlinearity, s);
      copy(hN.data, at * B * H, s.hs.data, T * B * H, B * H); // final state: the last row block
      if (cN && s.cs) copy(cN.data, at * B * H, s.cs.data, T * B * H, B * H);
    }
    if (dirs === 2) concatDirections(layer.output, layer.dirs as [Sequence, Sequence], B, T, H);
  }
  const yTime = headForwardInto(w.head, ws.headInput as Matrix<FloatArray>, ws.y as Matrix<FloatArray>);
  const y = new Matrix(yTime.rows, yTime.cols, allocLike(x.data, yTime.data.length)); // (N, O) in (b, t) order
  if (c.returnSequences) toBatchFirstInto(y.data, yTime.data, B, T, yTime.cols);
  else y.data.set(yTime.data);
  return { y, hN, cN, cache: { workspace: ws, generation: ws.generation, B, T } };
}

/** [h_fwd,t ; h_bwd,t] for every step into out (T·B, 2H), from the two directions' hs ((T+1)·B, H). */
function concatDirections(
  out: Matrix<FloatArray>,
  [f, r]: [Sequence, Sequence],
  B: number,
  T: number,
  H: number,
): void {
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const row = (t * B + b) * 2 * H;
      copy(out.data, row, f.hs.data, ((t + 1) * B + b) * H, H); // step t of the forward pass
      copy(out.data, row + H, r.hs.data, ((T - t) * B + b) * H, H); // step T−1−t of the reverse
    }
  }
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
  const { workspace: ws, B, T } = cache;
  if (ws.generation !== cache.generation || ws.B !== B || ws.T !== T)
    throw new ConfigError(
      "modelBackward: this cache's workspace has been used by a later modelForward; pass each forward its own workspace to keep several",
    );
  const [H, dirs] = [c.hiddenSize, directions(c)];
  const N = c.returnSequences ? B * T : B;
  if (dy.rows !== N || dy.cols !== c.head.outputSize) {
    throw new ShapeError("modelBackward", "dy", dy.shape, [N, c.head.outputSize], "(N, O)");
  }
  assertSameDType("modelBackward", "grads", grads.head.W_hy, "dy", dy);
  const k = truncation("modelBackward", opts);
  const w = ws.weights as ModelParams;
  const g = ws.grads as ModelParams;
  g.flat.fill(0);
  // head: y = h·W_hyᵀ + b_y, at every step or at step T−1 only
  const dyTime = ws.dy as Matrix<FloatArray>;
  if (c.returnSequences) toTimeMajorInto(dyTime.data, dy.data, B, T, dy.cols);
  else dyTime.data.set(dy.data);
  const L = c.numLayers;
  const top = ws.layers[L - 1] as LayerBuffers;
  top.dOutput.data.fill(0);
  const dHead = c.returnSequences ? top.dOutput : rowsView(top.dOutput, (T - 1) * B, T * B);
  headBackward(w.head, ws.headInput as Matrix<FloatArray>, dyTime, g.head, dHead);

  const S = L * dirs;
  const dh0 = tensor3(S, B, H, allocLike(dy.data, S * B * H));
  const dc0 = c.cell === "lstm" ? tensor3(S, B, H, allocLike(dy.data, S * B * H)) : null;
  const norms: number[][] = [];
  for (let l = L - 1; l >= 0; l--) {
    const layer = ws.layers[l] as LayerBuffers;
    // ∂L/∂(this layer's input): the layer below needs it; the model's input only if asked for
    const dIn = l > 0 || opts.inputGradient !== false ? layer.dInput : null; // (T·B, D_l)
    dIn?.data.fill(0);
    const sq = layer.normsSquared; // (T) Σ over directions of ‖∂L/∂hₜ‖²
    sq.fill(0);
    for (let d = 0; d < dirs; d++) {
      const s = layer.dirs[d] as Sequence;
      const dhs = layer.dhs[d] as Matrix<FloatArray>; // (T·B, H) in this direction's step order
      if (dirs === 2) splitDirection(dhs, layer.dOutput, d, B, T, H);
      const dxs = d === 0 ? dIn : dIn && layer.dInputReverse;
      if (d === 1) dxs?.data.fill(0);
      s.dhNext.fill(0);
      s.dcNext?.fill(0);
      SEQUENCES[c.cell].backward(cellAt(w, l, d), c.nonlinearity, s, dhs, cellAt(g, l, d), dxs, k);
      if (d === 1 && dIn && dxs) addReversed(dIn.data, dxs.data, B, T, dIn.cols); // it read x reversed
      copy(dh0.data, (l * dirs + d) * B * H, s.dhNext, 0, B * H);
      if (dc0 && s.dcNext) copy(dc0.data, (l * dirs + d) * B * H, s.dcNext, 0, B * H);
      for (let st = 0; st < T; st++) {
        const t = d === 0 ? st : T - 1 - st; // step st of the reverse direction is time T−1−st
        sq[t] = (sq[t] as number) + (s.norms[st] as number) ** 2;
      }
    }
    const row: number[] = new Array(T);
    for (let t = 0; t < T; t++) row[t] = Math.sqrt(sq[t] as number);
    norms[l] = row;
  }
  const out = grads.flat;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (g.flat[i] as number);
  let dx: Tensor3<FloatArray> | null = null;
  if (opts.inputGradient !== false) {
    const dIn = (ws.layers[0] as LayerBuffers).dInput;
    dx = tensor3(B, T, c.inputSize, allocLike(dy.data, dIn.data.length));
    toBatchFirstInto(dx.data, dIn.data, B, T, c.inputSize);
  }
  return { dx, dh0, dc0, hiddenGradNorms: norms };
}

/** Direction d's share of ∂L/∂output (T·B, 2H), in that direction's step order, into out (T·B, H). */
function splitDirection(
  out: Matrix<FloatArray>,
  dOut: Matrix<FloatArray>,
  d: number,
  B: number,
  T: number,
  H: number,
): void {
  for (let t = 0; t < T; t++) {
    const s = d === 0 ? t : T - 1 - t; // the reverse direction handles time t at its step T−1−t
    for (let b = 0; b < B; b++) {
      const from = (t * B + b) * 2 * H + d * H;
      copy(out.data, (s * B + b) * H, dOut.data, from, H);
    }
  }
}

/** into (T·B, C) += src (T·B, C) with its step blocks in reverse order. */
function addReversed(into: FloatArray, src: FloatArray, B: number, T: number, C: number): void {
  const n = B * C;
  for (let t = 0; t < T; t++) {
    const [o, r] = [t * n, (T - 1 - t) * n];
    for (let i = 0; i < n; i++) into[o + i] = (into[o + i] as number) + (src[r + i] as number);
  }
}

/** out[to … to+n) = src[from … from+n). */
function copy(out: FloatArray, to: number, src: FloatArray, from: number, n: number): void {
  for (let i = 0; i < n; i++) out[to + i] = src[from + i] as number;
}
