/**
 * The whole network: L stacked layers, each one or two directions, then the head.
 *
 *   layer 0 reads x; layer k > 0 reads layer k−1's output; a bidirectional layer's output at step t is
 *   [h_fwd,t ; h_bwd,t] (H·2 features, forward first, as PyTorch). The backward direction is the same
 *   recurrence run over each sequence reversed within its length, and its outputs are reversed back.
 *   The head reads every step (returnSequences, many-to-many) or each sequence's last step only
 *   (many-to-one; PyTorch's output[b, len_b − 1], which is output[:, -1] when no lengths are given).
 *
 * Sequences may have different lengths (`lengths`), with PyTorch's pack_padded_sequence semantics: a
 * sequence's state stops at its last step (that is its hN), its outputs past it are zeros, and no
 * gradient flows through its padding. Inputs are dense (B, T, D) or token ids (B, T) standing for
 * one-hot rows (a character model), which are gathered rather than multiplied.
 *
 * The recurrence is an Elman RNN, an LSTM or a GRU (cells.ts); only the LSTM also carries c. Every
 * intermediate lives in the model's workspace (workspace.ts), reused from batch to batch; what is
 * returned (y, final states, gradients of the inputs) is the caller's own copy.
 *
 * Shapes: x (B, T, D) batch-first; h0, hN, c0, cN (L·dirs, B, H); y (N, O) logits with N = B·T rows
 * in (b, t) order, or N = B. Internally everything is time-major (batch-layout.ts).
 */
import {
  allocLike,
  assertSameDType,
  ConfigError,
  DTypeError,
  dtypeOf,
  type FloatArray,
  Matrix,
  type Rng,
  rowsView,
  ShapeError,
  type Tensor3,
  tensor3,
} from "@unrolled/linalg";
import { directions, type ModelConfig } from "../config.js";
import { cellAt, type ModelParams } from "../params/params.js";
import { type BackwardOptions, type Sequence, type SequenceInput, truncation } from "../shared/sequence.js";
import {
  addReversedWithinLengths,
  concatDirectionsInto,
  copyRow,
  gatherLastStepsInto,
  layoutRows,
  reverseWithinLengthsInto,
  scatterLastStepsAccumulate,
  sortRowsInto,
  splitDirectionInto,
  toBatchFirstInto,
  toTimeMajorInto,
  unsortRowsInto,
} from "./batch-layout.js";
import { sequenceBackward, sequenceForward } from "./cells.js";
import { dropoutBackward, dropoutForward } from "./dropout.js";
import { headBackward, headForwardInto } from "./head.js";
import { type Carved, type LayerBuffers, type Workspace, workspaceFor } from "./workspace.js";

/** Token ids (B, T), each in [0, inputSize): one-hot rows that are never built. */
export interface TokenBatch {
  readonly ids: Int32Array;
  readonly dims: readonly [number, number];
}

/** What a model reads: dense features (B, T, D), or token ids (B, T). */
export type ModelInput = Tensor3<FloatArray> | TokenBatch;

export const isTokenBatch = (x: ModelInput): x is TokenBatch => "ids" in x;

export interface ForwardOptions {
  /** Initial states (L·dirs, B, H), PyTorch's h_0 layout; zeros when omitted. */
  readonly h0?: Tensor3<FloatArray>;
  /** LSTM initial cell states (L·dirs, B, H), PyTorch's c_0; zeros when omitted. */
  readonly c0?: Tensor3<FloatArray>;
  /** Each sequence's length in [1, T]; the steps after it are padding. All T when omitted. */
  readonly lengths?: ArrayLike<number>;
  /** Also return the top layer's output (B, T, H·dirs), PyTorch's `output`. */
  readonly output?: boolean;
  /**
   * Training with dropout: the masks are drawn from this Rng (the config says where and how much). Left
   * out, the forward is an evaluation and dropout keeps everything.
   */
  readonly dropout?: Rng;
  /** Where the intermediates live; by default the one workspace of the model's config and dtype. */
  readonly workspace?: Workspace;
}

/**
 * What modelBackward differentiates: one forward's workspace, which holds that forward's copy of the
 * weights and every intermediate, and which forward on it this was.
 */
export interface ModelCache {
  readonly workspace: Workspace;
  readonly generation: number;
  readonly B: number;
  readonly T: number;
  /** Whether the input was token ids (then there is no ∂L/∂x). */
  readonly tokens: boolean;
  /** Whether every sequence had all T steps. */
  readonly full: boolean;
}

export interface ForwardResult {
  /** Head logits (N, O), before the activation. */
  readonly y: Matrix<FloatArray>;
  /** Final states (L·dirs, B, H): each sequence's state at its last step. */
  readonly hN: Tensor3<FloatArray>;
  /** LSTM final cell states (L·dirs, B, H); null for the other cells. */
  readonly cN: Tensor3<FloatArray> | null;
  /** The top layer's output (B, T, H·dirs), zero past each sequence's end, when asked for; else null. */
  readonly output: Tensor3<FloatArray> | null;
  readonly cache: ModelCache;
}

export interface BackwardResult {
  /** ∂L/∂x (B, T, D); null when `inputGradient: false` or the input was token ids. */
  readonly dx: Tensor3<FloatArray> | null;
  /** ∂L/∂h0 (L·dirs, B, H) (zeros under truncation). */
  readonly dh0: Tensor3<FloatArray>;
  /** LSTM: ∂L/∂c0 (L·dirs, B, H); null for the other cells. */
  readonly dc0: Tensor3<FloatArray> | null;
  /**
   * ‖∂L/∂hₜ‖ per layer (rows) and step (columns), both directions combined. (With lengths that
   * differ, the reverse direction's steps are counted from each sequence's end.)
   */
  readonly hiddenGradNorms: number[][];
}

function checkInput(p: ModelParams, x: ModelInput, opts: ForwardOptions): [number, number] {
  const c = p.config;
  if (isTokenBatch(x)) {
    const [B, T] = x.dims;
    if (B < 1 || T < 1 || x.ids.length !== B * T)
      throw new ShapeError("modelForward", "x.ids", [x.ids.length], [B * T], "(B·T) with B, T ≥ 1");
    for (let i = 0; i < x.ids.length; i++) {
      const id = x.ids[i] as number;
      if (!(id >= 0 && id < c.inputSize))
        throw new ConfigError(`modelForward: token id ${id} at ${i} is outside [0, ${c.inputSize}) (the inputSize)`);
    }
  } else {
    const [B, T, D] = x.dims;
    if (D !== c.inputSize || B < 1 || T < 1)
      throw new ShapeError("modelForward", "x", x.dims, [null, null, c.inputSize], "(B ≥ 1, T ≥ 1, D)");
    if (dtypeOf(x.data) !== p.dtype)
      throw new DTypeError("modelForward", "x", dtypeOf(x.data), `${p.dtype} like the parameters`);
  }
  const [B, T] = x.dims;
  const want = [c.numLayers * directions(c), B, c.hiddenSize];
  if (opts.c0 !== undefined && c.cell !== "lstm")
    throw new ConfigError(
      `modelForward: c0 is an LSTM's initial cell state; this model is a${c.cell === "rnn" ? "n RNN" : " GRU"}`,
    );
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
  return [B, T];
}

/** The input of layer k's direction d, as the forward left it in the workspace. */
function layerInput(buf: Carved, layer: LayerBuffers, k: number, d: number, tokens: boolean): SequenceInput {
  if (k === 0 && tokens) return { kind: "tokens", ids: d === 0 ? buf.tokens : buf.tokensReverse };
  return { kind: "dense", x: d === 0 ? layer.input : (layer.inputReverse as Matrix<FloatArray>) };
}

/** What the head reads before any dropout: every step, the last block, or each sequence's last step (gathered). */
function headSource(c: ModelConfig, buf: Carved, full: boolean, B: number, T: number): Matrix<FloatArray> {
  const top = (buf.layers[c.numLayers - 1] as LayerBuffers).output;
  if (c.returnSequences) return top;
  return full ? rowsView(top, (T - 1) * B, T * B) : buf.lastSteps;
}

/** What the head reads: its source, or with head dropout the source times the mask. */
const headInput = (c: ModelConfig, buf: Carved, full: boolean, B: number, T: number): Matrix<FloatArray> =>
  buf.headDropout?.input ?? headSource(c, buf, full, B, T);

/** Forward pass over a batch of sequences. */
export function modelForward(p: ModelParams, x: ModelInput, opts: ForwardOptions = {}): ForwardResult {
  const [B, T] = checkInput(p, x, opts);
  const c = p.config;
  const [H, dirs, tokens] = [c.hiddenSize, directions(c), isTokenBatch(x)];
  const S = c.numLayers * dirs;
  const ws = opts.workspace ?? workspaceFor(c, p.dtype);
  const buf = ws.layout(B, T);
  ws.generation++;
  buf.weights.flat.set(p.flat); // the kernels read this copy (memory they can address)
  const full = layoutRows(buf.rows, B, T, opts.lengths ?? null);
  const rows = buf.rows;
  if (isTokenBatch(x)) toTimeMajorInto(buf.tokens, x.ids, rows, B, T, 1);
  else toTimeMajorInto((buf.layers[0] as LayerBuffers).input.data, x.data, rows, B, T, c.inputSize);
  const like = tokens ? p.flat : (x as Tensor3<FloatArray>).data;
  const hN = tensor3(S, B, H, allocLike(like, S * B * H));
  const cN = c.cell === "lstm" ? tensor3(S, B, H, allocLike(like, S * B * H)) : null;
  for (let k = 0; k < c.numLayers; k++) layerForward(c, buf, k, [B, T, tokens], opts, hN, cN);
  const top = (buf.layers[c.numLayers - 1] as LayerBuffers).output; // (T·B, H·dirs)
  if (!c.returnSequences && !full) gatherLastStepsInto(buf.lastSteps.data, top.data, rows, B, top.cols);
  const hd = buf.headDropout;
  if (hd) {
    const src = headSource(c, buf, full, B, T);
    dropoutForward(src.data, hd.input.data, hd.mask.data, src.data.length, c.head.dropout ?? 0, opts.dropout ?? null);
  }
  const yTime = headForwardInto(buf.weights.head, headInput(c, buf, full, B, T), buf.y); // (N, O) time-major
  const y = new Matrix(yTime.rows, yTime.cols, allocLike(like, yTime.data.length)); // (N, O) in (b, t) order
  if (c.returnSequences) toBatchFirstInto(y.data, yTime.data, rows, B, T, yTime.cols);
  else unsortRowsInto(y.data, yTime.data, rows, B, yTime.cols);
  let output: Tensor3<FloatArray> | null = null;
  if (opts.output) {
    output = tensor3(B, T, top.cols, allocLike(like, B * T * top.cols));
    toBatchFirstInto(output.data, top.data, rows, B, T, top.cols);
  }
  const cache: ModelCache = { workspace: ws, generation: ws.generation, B, T, tokens, full };
  return { y, hN, cN, output, cache };
}

/** Layer k, every direction: its output (T·B, H·dirs), its slices of hN and cN, and the next layer's input. */
function layerForward(
  c: ModelConfig,
  buf: Carved,
  k: number,
  [B, T, tokens]: [number, number, boolean],
  opts: ForwardOptions,
  hN: Tensor3<FloatArray>,
  cN: Tensor3<FloatArray> | null,
): void {
  const [H, dirs, rows] = [c.hiddenSize, directions(c), buf.rows];
  const layer = buf.layers[k] as LayerBuffers;
  for (let d = 0; d < dirs; d++) {
    const s = layer.dirs[d] as Sequence;
    const at = k * dirs + d; // this layer and direction's slice of h0, hN, …
    if (d === 1 && k === 0 && tokens) reverseWithinLengthsInto(buf.tokensReverse, buf.tokens, rows, B, T, 1);
    else if (d === 1) {
      const reversed = (layer.inputReverse as Matrix<FloatArray>).data; // the reverse direction reads x backwards
      reverseWithinLengthsInto(reversed, layer.input.data, rows, B, T, layer.input.cols);
    }
    initialState(s.hs.data, opts.h0, at, rows, B, H);
    if (s.cell === "lstm") initialState(s.cs.data, opts.c0, at, rows, B, H);
    sequenceForward(cellAt(buf.weights, k, d), c.nonlinearity, s, layerInput(buf, layer, k, d, tokens));
    for (let r = 0; r < B; r++) {
      const [b, L] = [rows.order[r] as number, rows.lengths[r] as number]; // row r's final state is at step L
      copyRow(hN.data, (at * B + b) * H, s.hs.data, (L * B + r) * H, H);
      if (cN && s.cell === "lstm") copyRow(cN.data, (at * B + b) * H, s.cs.data, (L * B + r) * H, H);
    }
  }
  if (dirs === 2) {
    const [f, r] = layer.dirs as [Sequence, Sequence];
    concatDirectionsInto(layer.output.data, f.hs.data, r.hs.data, rows, B, T, H);
  }
  if (layer.mask) {
    // dropout between layers: the next layer reads output ⊙ mask
    const next = buf.layers[k + 1] as LayerBuffers;
    const n = layer.output.data.length;
    dropoutForward(layer.output.data, next.input.data, layer.mask.data, n, c.dropout ?? 0, opts.dropout ?? null);
  }
}

/** Rows [0, B) of a state buffer: slice `at` of the caller's (L·dirs, B, H) states, in row order; else zeros. */
function initialState(
  hs: FloatArray,
  init: Tensor3<FloatArray> | undefined,
  at: number,
  rows: Carved["rows"],
  B: number,
  H: number,
): void {
  if (init === undefined) hs.fill(0, 0, B * H);
  else sortRowsInto(hs, init.data.subarray(at * B * H, (at + 1) * B * H), rows, B, H);
}

/**
 * Backpropagation through the head and every layer of the forward that made `cache`: it reads that
 * forward's copy of the weights and its intermediates (all in the cache's workspace), and adds
 * ∂L/∂θ into `grads`. dy (N, O) is ∂L/∂y in the layout modelForward returned. Returns ∂L/∂x, ∂L/∂h0
 * and the per-step hidden gradient norms.
 */
export function modelBackward(
  cache: ModelCache,
  dy: Matrix<FloatArray>,
  grads: ModelParams,
  opts: BackwardOptions = {},
): BackwardResult {
  const { workspace: ws, B, T, tokens } = cache;
  if (ws.generation !== cache.generation || ws.B !== B || ws.T !== T)
    throw new ConfigError(
      "modelBackward: this cache's workspace has been used by a later modelForward; pass each forward its own workspace to keep several",
    );
  const c = ws.config;
  const N = c.returnSequences ? B * T : B;
  if (dy.rows !== N || dy.cols !== c.head.outputSize)
    throw new ShapeError("modelBackward", "dy", dy.shape, [N, c.head.outputSize], "(N, O)");
  const buf = ws.buffers;
  if (grads.flat.length !== buf.grads.flat.length)
    throw new ShapeError(
      "modelBackward",
      "grads",
      [grads.flat.length],
      [buf.grads.flat.length],
      "(P, the forward's parameters)",
    );
  assertSameDType("modelBackward", "grads", grads.head.W_hy, "dy", dy);
  const truncate = truncation("modelBackward", opts);
  buf.grads.flat.fill(0); // the kernels write here; added into `grads` at the end
  backwardHead(c, buf, cache, dy);
  const S = c.numLayers * directions(c);
  const H = c.hiddenSize;
  const dh0 = tensor3(S, B, H, allocLike(dy.data, S * B * H));
  const dc0 = c.cell === "lstm" ? tensor3(S, B, H, allocLike(dy.data, S * B * H)) : null;
  const wantDx = opts.inputGradient !== false && !tokens;
  const norms: number[][] = [];
  for (let l = c.numLayers - 1; l >= 0; l--) {
    // ∂L/∂(this layer's input): the layer below needs it; the model's input only if asked for
    const dIn = l > 0 || wantDx ? (buf.layers[l] as LayerBuffers).dInput : null; // (T·B, D_l)
    norms[l] = backwardLayer(c, buf, cache, l, dIn, truncate, dh0, dc0);
    const below = buf.layers[l - 1];
    // forward: this layer read the output below ⊙ mask  ⇒  d(output below) = dInput ⊙ mask
    if (dIn && below?.mask) dropoutBackward(dIn.data, below.mask.data, below.dOutput.data, dIn.data.length, false);
  }
  const [out, g] = [grads.flat, buf.grads.flat];
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (g[i] as number);
  let dx: Tensor3<FloatArray> | null = null;
  if (wantDx) {
    const dIn = (buf.layers[0] as LayerBuffers).dInput;
    dx = tensor3(B, T, c.inputSize, allocLike(dy.data, dIn.data.length));
    toBatchFirstInto(dx.data, dIn.data, buf.rows, B, T, c.inputSize);
  }
  return { dx, dh0, dc0, hiddenGradNorms: norms };
}

/** Through the head, y = h·W_hyᵀ + b_y (at every step, or at each sequence's last): into the top layer's ∂L/∂output. */
function backwardHead(c: ModelConfig, buf: Carved, cache: ModelCache, dy: Matrix<FloatArray>): void {
  const { B, T, full } = cache;
  const rows = buf.rows;
  if (c.returnSequences)
    toTimeMajorInto(buf.dy.data, dy.data, rows, B, T, dy.cols); // padding steps get no gradient
  else sortRowsInto(buf.dy.data, dy.data, rows, B, dy.cols);
  const top = buf.layers[c.numLayers - 1] as LayerBuffers;
  top.dOutput.data.fill(0);
  const gathered = !c.returnSequences && !full; // each sequence's last step was gathered into lastSteps
  const dHead = c.returnSequences ? top.dOutput : gathered ? buf.dLastSteps : rowsView(top.dOutput, (T - 1) * B, T * B);
  if (gathered) dHead.data.fill(0);
  const hd = buf.headDropout;
  if (hd) hd.dInput.data.fill(0);
  headBackward(buf.weights.head, headInput(c, buf, full, B, T), buf.dy, buf.grads.head, hd ? hd.dInput : dHead);
  // forward: the head read source ⊙ mask  ⇒  dsource += d(what it read) ⊙ mask
  if (hd) dropoutBackward(hd.dInput.data, hd.mask.data, dHead.data, dHead.data.length, true);
  if (gathered) scatterLastStepsAccumulate(top.dOutput.data, dHead.data, rows, B, top.dOutput.cols);
}

/**
 * BPTT through layer l, both directions: reads ∂L/∂output, accumulates the layer's weight gradients,
 * writes ∂L/∂input into dIn (null: not wanted) and ∂L/∂h₀ (∂L/∂c₀) into its slice of dh0 (dc0).
 * Returns ‖∂L/∂hₜ‖ per step, both directions combined.
 */
function backwardLayer(
  c: ModelConfig,
  buf: Carved,
  cache: ModelCache,
  l: number,
  dIn: Matrix<FloatArray> | null,
  truncate: number,
  dh0: Tensor3<FloatArray>,
  dc0: Tensor3<FloatArray> | null,
): number[] {
  const { B, T, tokens } = cache;
  const [H, dirs, rows] = [c.hiddenSize, directions(c), buf.rows];
  const layer = buf.layers[l] as LayerBuffers;
  dIn?.data.fill(0);
  const sq = layer.normsSquared; // (T) Σ over directions of ‖∂L/∂hₜ‖²
  sq.fill(0);
  for (let d = 0; d < dirs; d++) {
    const s = layer.dirs[d] as Sequence;
    const dhs = layer.dhs[d] as Matrix<FloatArray>; // (T·B, H) in this direction's step order
    if (dirs === 2) splitDirectionInto(dhs.data, layer.dOutput.data, d, rows, B, T, H);
    const dxs = d === 0 ? dIn : dIn && layer.dInputReverse;
    if (d === 1) dxs?.data.fill(0);
    s.dhNext.fill(0);
    if (s.cell === "lstm") s.dcNext.fill(0);
    const input = layerInput(buf, layer, l, d, tokens);
    sequenceBackward(cellAt(buf.weights, l, d), c.nonlinearity, s, input, dhs, cellAt(buf.grads, l, d), dxs, truncate);
    if (d === 1 && dIn && dxs) addReversedWithinLengths(dIn.data, dxs.data, rows, B, dIn.cols); // it read x reversed
    const at = (l * dirs + d) * B * H; // this layer and direction's slice of dh0
    unsortRowsInto(dh0.data, s.dhNext, rows, B, H, at);
    if (dc0 && s.cell === "lstm") unsortRowsInto(dc0.data, s.dcNext, rows, B, H, at);
    for (let st = 0; st < T; st++) {
      const t = d === 0 ? st : T - 1 - st; // step st of the reverse direction is time T−1−st
      sq[t] = (sq[t] as number) + (s.norms[st] as number) ** 2;
    }
  }
  const norms: number[] = new Array(T); // a loop: Array.from over a typed array was a tenth of a tiny model's update
  for (let t = 0; t < T; t++) norms[t] = Math.sqrt(sq[t] as number);
  return norms;
}
