/**
 * A model's workspace: every buffer one forward and backward over a (B, T) batch writes, allocated
 * once and reused for every later batch of the same size, so that training allocates nothing per
 * step and the heap stays flat. It also holds the copy of the weights the kernels read and the
 * gradients they write, in memory the fast kernels can address (WebAssembly memory, when that backend
 * is active; see @unrolled/linalg's kernels.ts): modelForward stages the parameters in, modelBackward
 * adds its gradients out. Both copies are O(parameters), against O(T·B·H·(D + H)) work per batch.
 *
 * Memory: per layer and direction, the cell's buffers (shared/sequence.ts: pre-activations and their
 * gradients, T·B × G·H each, the hidden states, and the cell's own), plus each layer's input, output
 * and their gradients, and two parameter-sized copies. Nothing recurses: a 7,000-step sequence needs
 * 7,000 steps' worth of these and no more.
 *
 * modelForward uses the workspace of its config (one per config and dtype) unless given one. A
 * ModelCache records which forward it belongs to: a backward after a later forward on the same
 * workspace is an error, never a silently wrong gradient.
 */
import {
  allocArray,
  allocFast,
  type DType,
  type FloatArray,
  Matrix,
  packedLength,
  packedRight,
  releaseFast,
} from "@unrolled/linalg";
import { type CellKind, directions, type ModelConfig } from "../config.js";
import { type ModelParams, paramSlots, paramsFromFlat } from "../params/params.js";
import { GATES } from "../params/spec.js";
import type { GruSequence, LstmSequence, RnnSequence, Sequence } from "../shared/sequence.js";

export interface LayerBuffers {
  /** (T·B, D_k) the input: the model's x (time-major) for layer 0, the layer below's output after. */
  readonly input: Matrix<FloatArray>;
  /** (T·B, D_k) the reverse direction's input: each sequence reversed within its length; null for one direction. */
  readonly inputReverse: Matrix<FloatArray> | null;
  /** One sequence per direction. */
  readonly dirs: readonly Sequence[];
  /** (T·B, H·dirs) the output: hₜ, or [h_fwd,t ; h_bwd,t] for a bidirectional layer. */
  readonly output: Matrix<FloatArray>;
  /** (T·B, H·dirs) ∂L/∂output. */
  readonly dOutput: Matrix<FloatArray>;
  /** (T·B, H) per direction: ∂L/∂hₜ from above in that direction's step order (dOutput itself for one direction). */
  readonly dhs: readonly Matrix<FloatArray>[];
  /** (T·B, D_k) ∂L/∂input: the layer below's dOutput for k > 0, a buffer of its own for layer 0. */
  readonly dInput: Matrix<FloatArray>;
  /** (T·B, D_k) the reverse direction's ∂L/∂input in its own step order; null for one direction. */
  readonly dInputReverse: Matrix<FloatArray> | null;
  /** (T) scratch for ‖∂L/∂hₜ‖² summed over the directions. */
  readonly normsSquared: Float64Array;
  /**
   * (T·B, H·dirs) the dropout mask on this layer's output, when the model has dropout and a layer
   * above: the next layer's input (and ∂L/∂input) are then buffers of their own. null otherwise.
   */
  readonly mask: Matrix<FloatArray> | null;
}

/** Head dropout: what the head reads (the source times a mask), the mask, and ∂L/∂(what the head reads). */
export interface HeadDropoutBuffers {
  readonly input: Matrix<FloatArray>; // (N, H·dirs)
  readonly mask: Matrix<FloatArray>; // (N, H·dirs)
  readonly dInput: Matrix<FloatArray>; // (N, H·dirs)
}

/** How the batch's sequences sit in the buffers (model/batch-layout.ts fills them per batch). */
export interface BatchRows {
  /** (B) row r holds the caller's sequence order[r]: the longest first. */
  readonly order: Int32Array;
  /** (B) the length of the sequence in row r. */
  readonly lengths: Int32Array;
  /** (T) rows still running at step t, shared by every sequence's buffers. */
  readonly batchSizes: Int32Array;
}

const PLACEHOLDER = new Matrix(0, 0, new Float64Array(0));
const registry = new FinalizationRegistry<FloatArray>((block) => releaseFast(block));

/** The buffers carve() lays out for one (B, T). */
export interface Carved {
  readonly layers: readonly LayerBuffers[];
  readonly rows: BatchRows;
  /** (T·B) token ids, time-major, when the input is tokens; then reversed within each length. */
  readonly tokens: Int32Array;
  readonly tokensReverse: Int32Array;
  /** (B, H·dirs) many-to-one with lengths: each sequence's last output, and its gradient. */
  readonly lastSteps: Matrix<FloatArray>;
  readonly dLastSteps: Matrix<FloatArray>;
  /** (N, O) the head's logits and their gradient, time-major. */
  readonly y: Matrix<FloatArray>;
  readonly dy: Matrix<FloatArray>;
  /** When the head has dropout. */
  readonly headDropout: HeadDropoutBuffers | null;
  /** The forward's copy of the parameters, which the kernels read; the gradients they write. */
  readonly weights: ModelParams;
  readonly grads: ModelParams;
}

export class Workspace {
  readonly config: ModelConfig;
  readonly dtype: DType;
  /** The batch shape the buffers are laid out for. */
  B = 0;
  T = 0;
  /** Counts forwards; a ModelCache remembers the one it came from. */
  generation = 0;
  private carved: Carved | null = null;
  private block: FloatArray | null = null;

  constructor(config: ModelConfig, dtype: DType) {
    this.config = config;
    this.dtype = dtype;
  }

  /** Elements of the buffers now allocated (0 after dispose). */
  get capacity(): number {
    return this.block?.length ?? 0;
  }

  /** The buffers of the current layout (call layout(B, T) first). */
  get buffers(): Carved {
    if (this.carved === null) throw new Error("Workspace: no layout yet; call layout(B, T) first");
    return this.carved;
  }

  /** Lays the buffers out for a (B, T) batch; reallocates only when it needs more room than it has. */
  layout(B: number, T: number): Carved {
    if (B === this.B && T === this.T && this.block !== null && this.carved !== null) return this.carved;
    const need = carve(this.config, B, T, null).used;
    if (this.block === null || this.block.length < need) {
      this.dispose();
      this.block = allocFast(this.dtype, need);
      registry.register(this, this.block, this);
    }
    const { carved } = carve(this.config, B, T, this.block);
    this.carved = carved as Carved;
    this.B = B;
    this.T = T;
    return this.carved;
  }

  /** Returns the memory now rather than when the workspace is garbage-collected. */
  dispose(): void {
    if (this.block === null) return;
    registry.unregister(this);
    releaseFast(this.block);
    this.block = null;
    this.carved = null;
    this.B = 0;
    this.T = 0;
  }
}

type Take = (rows: number, cols: number) => Matrix<FloatArray>;

/** Counts the elements a (B, T) layout needs (block null), or carves the buffers out of block. */
function carve(
  c: ModelConfig,
  B: number,
  T: number,
  block: FloatArray | null,
): { used: number; carved: Carved | null } {
  const [H, dirs] = [c.hiddenSize, directions(c)];
  let used = 0;
  // counting (block null), every buffer is the empty PLACEHOLDER and only `used` matters
  const take: Take = (rows, cols) => {
    const n = rows * cols;
    const at = used;
    used += Math.ceil(n / 16) * 16; // keep every buffer 64-byte aligned
    return block ? new Matrix(rows, cols, block.subarray(at, at + n)) : PLACEHOLDER;
  };
  const ints = (n: number) => new Int32Array(block ? n : 0);
  const P = paramSlots(c).reduce((n, s) => n + s.size, 0);
  const [weights, grads] = [take(1, P).data, take(1, P).data];
  const rows: BatchRows = { order: ints(B), lengths: ints(B), batchSizes: ints(T) };
  const layers: LayerBuffers[] = [];
  let input = take(T * B, c.inputSize);
  let dInput = take(T * B, c.inputSize);
  for (let k = 0; k < c.numLayers; k++) {
    const layer = layerBuffers(c, k, [B, T], { input, dInput }, take, rows.batchSizes, block !== null);
    layers.push(layer);
    const dropped = layer.mask !== null; // the next layer reads output ⊙ mask, a buffer of its own
    input = dropped ? take(T * B, H * dirs) : layer.output;
    dInput = dropped ? take(T * B, H * dirs) : layer.dOutput;
  }
  const N = c.returnSequences ? T * B : B;
  const [lastSteps, dLastSteps] = [take(B, H * dirs), take(B, H * dirs)];
  const [y, dy] = [take(N, c.head.outputSize), take(N, c.head.outputSize)];
  const headDropout =
    (c.head.dropout ?? 0) > 0 ? { input: take(N, H * dirs), mask: take(N, H * dirs), dInput: take(N, H * dirs) } : null;
  if (block === null) return { used, carved: null };
  const carved = {
    layers,
    rows,
    tokens: ints(T * B),
    tokensReverse: ints(T * B),
    lastSteps,
    dLastSteps,
    y,
    dy,
    headDropout,
  };
  return { used, carved: { ...carved, weights: paramsFromFlat(c, weights), grads: paramsFromFlat(c, grads) } };
}

/** Layer k's buffers; it reads `input` and differentiates into `dInput`, which the layer below carved. */
function layerBuffers(
  c: ModelConfig,
  k: number,
  [B, T]: [number, number],
  { input, dInput }: { input: Matrix<FloatArray>; dInput: Matrix<FloatArray> },
  take: Take,
  batchSizes: Int32Array,
  real: boolean,
): LayerBuffers {
  const [H, dirs] = [c.hiddenSize, directions(c)];
  const D = k === 0 ? c.inputSize : H * dirs;
  const seqs = Array.from({ length: dirs }, () => sequenceBuffers(c.cell, B, T, H, take, batchSizes, !real));
  const output = dirs === 1 ? stepsOf((seqs[0] as Sequence).hs, B, T, real) : take(T * B, 2 * H);
  const dOutput = take(T * B, H * dirs);
  const dropped = (c.dropout ?? 0) > 0 && k < c.numLayers - 1;
  return {
    input,
    inputReverse: dirs === 2 ? take(T * B, D) : null,
    dirs: seqs,
    output,
    dOutput,
    dhs: dirs === 1 ? [dOutput] : [take(T * B, H), take(T * B, H)],
    dInput,
    dInputReverse: dirs === 2 ? take(T * B, D) : null,
    normsSquared: new Float64Array(real ? T : 0),
    mask: dropped ? take(T * B, H * dirs) : null,
  };
}

/** (T·B, H): rows [B, (T+1)·B) of hs ((T+1)·B, H), i.e. h₁ … h_T without h₀. */
function stepsOf(hs: Matrix<FloatArray>, B: number, T: number, real: boolean): Matrix<FloatArray> {
  return real ? new Matrix(T * B, hs.cols, hs.data.subarray(B * hs.cols, (T + 1) * B * hs.cols)) : hs;
}

/** One direction's buffers for `cell`, carved by `take`. */
function sequenceBuffers(
  cell: CellKind,
  B: number,
  T: number,
  H: number,
  take: Take,
  batchSizes: Int32Array,
  counting: boolean,
): Sequence {
  const G = GATES[cell];
  const common = {
    B,
    T,
    batchSizes,
    W_hhP: packedRight(take(1, Math.max(packedLength(H, G * H), packedLength(G * H, H))).data),
    hs: take((T + 1) * B, H),
    dh: take(B, H).data,
    dhNext: take(B, H).data,
    norms: new Float64Array(counting ? 0 : T),
  };
  if (cell === "rnn") return { cell, ...common, a: take(T * B, H), da: take(T * B, H) };
  if (cell === "lstm") {
    const [gates, dz] = [take(T * B, 4 * H), take(T * B, 4 * H)];
    return { cell, ...common, gates, dz, cs: take((T + 1) * B, H), tanhC: take(T * B, H), dcNext: take(B, H).data };
  }
  const [gates, ah, ahn] = [take(T * B, 3 * H), take(B, 3 * H).data, take(T * B, H)];
  return { cell, ...common, gates, ah, ahn, dai: take(T * B, 3 * H), dah: take(T * B, 3 * H) };
}

/**
 * The buffers for running one cell over one sequence by hand (rnnForward, lstmForward, …), each its
 * own zeroed array, every sequence T steps long; set the initial states in hs (and cs) before the forward.
 */
export function createSequence(cell: "rnn", dtype: DType, B: number, T: number, H: number): RnnSequence;
export function createSequence(cell: "lstm", dtype: DType, B: number, T: number, H: number): LstmSequence;
export function createSequence(cell: "gru", dtype: DType, B: number, T: number, H: number): GruSequence;
export function createSequence(cell: CellKind, dtype: DType, B: number, T: number, H: number): Sequence;
export function createSequence(cell: CellKind, dtype: DType, B: number, T: number, H: number): Sequence {
  const take: Take = (rows, cols) => new Matrix(rows, cols, allocArray(dtype, rows * cols));
  return sequenceBuffers(cell, B, T, H, take, new Int32Array(T).fill(B), false);
}

const shared = new WeakMap<ModelConfig, Partial<Record<DType, Workspace>>>();

/** Elements (of the dtype) a workspace needs for a (B, T) batch: what choosing a batch size can budget on. */
export function workspaceElements(config: ModelConfig, B: number, T: number): number {
  return carve(config, B, T, null).used;
}

/** The workspace modelForward uses for a config and dtype when it is given none. */
export function workspaceFor(config: ModelConfig, dtype: DType): Workspace {
  let byType = shared.get(config);
  if (byType === undefined) {
    byType = {};
    shared.set(config, byType);
  }
  let ws = byType[dtype];
  if (ws === undefined) {
    ws = new Workspace(config, dtype);
    byType[dtype] = ws;
  }
  return ws;
}
