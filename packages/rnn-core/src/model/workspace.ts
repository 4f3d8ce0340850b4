/**
 * A model's workspace: every buffer one forward and backward over a (B, T) batch writes, allocated
 * once and reused for every later batch of the same size, so that training allocates nothing per
 * step and the heap stays flat. It also holds copies of the weights and their gradients, in memory
 * the fast kernels can address (WebAssembly memory, when that backend is active; see
 * @unrolled/linalg's kernels.ts): the forward copies the parameters in, the backward adds its
 * gradients out. Both copies are O(parameters), against O(T·B·H·(D + H)) work per batch.
 *
 * Memory: per layer and direction, the pre-activations and their gradients (T·B × G·H each, G the
 * gates per unit), the hidden states ((T+1)·B × H), for the LSTM the cell states and tanh(cₜ), for the
 * GRU a_hn and ∂L/∂aₕ; plus the inputs, outputs and their gradients, and two parameter-sized copies.
 * Nothing recurses: a 7,000-step sequence needs 7,000 steps' worth of these and no more.
 *
 * modelForward uses the workspace of its config (one per config and dtype) unless given one. A
 * ModelCache records which forward it belongs to: a backward after a later forward on the same
 * workspace is an error, never a silently wrong gradient.
 */
import { allocArray, allocFast, type DType, type FloatArray, Matrix, releaseFast, rowsView } from "@unrolled/linalg";
import { type CellKind, directions, type ModelConfig } from "../config.js";
import { type ModelParams, paramSlots, paramsFromFlat } from "../params/params.js";
import { GATES } from "../params/spec.js";
import type { Sequence } from "../shared/sequence.js";

export interface LayerBuffers {
  /** (T·B, D_k) this layer's input: the model's x (time-major) for layer 0, the layer below's output after. */
  readonly input: Matrix<FloatArray>;
  /** One sequence per direction (the reverse one reads `input` time-reversed). */
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
}

const PLACEHOLDER = new Matrix(0, 0, new Float64Array(0));
const registry = new FinalizationRegistry<FloatArray>((block) => releaseFast(block));

export class Workspace {
  readonly config: ModelConfig;
  readonly dtype: DType;
  /** The batch shape the buffers are laid out for. */
  B = 0;
  T = 0;
  /** Counts forwards; a ModelCache remembers the one it came from. */
  generation = 0;
  layers: readonly LayerBuffers[] = [];
  /** (N, H·dirs) what the head reads; (N, O) its logits and their gradient, time-major. */
  headInput: Matrix<FloatArray> | null = null;
  y: Matrix<FloatArray> | null = null;
  dy: Matrix<FloatArray> | null = null;
  /** The copy of the parameters the kernels read, and the gradients they write. */
  weights: ModelParams | null = null;
  grads: ModelParams | null = null;
  private block: FloatArray | null = null;

  constructor(config: ModelConfig, dtype: DType) {
    this.config = config;
    this.dtype = dtype;
  }

  /** Elements of the buffers now allocated (0 after dispose). */
  get capacity(): number {
    return this.block?.length ?? 0;
  }

  /** Lays the buffers out for a (B, T) batch; reallocates only when it needs more room than it has. */
  layout(B: number, T: number): void {
    if (B === this.B && T === this.T && this.block !== null) return;
    const need = this.carve(B, T, null);
    if (this.block === null || this.block.length < need) {
      this.dispose();
      this.block = allocFast(this.dtype, need);
      registry.register(this, this.block, this);
    }
    this.carve(B, T, this.block);
    this.B = B;
    this.T = T;
  }

  /** Returns the memory now rather than when the workspace is garbage-collected. */
  dispose(): void {
    if (this.block === null) return;
    registry.unregister(this);
    releaseFast(this.block);
    this.block = null;
    this.B = 0;
    this.T = 0;
  }

  /** Counts the elements a (B, T) layout needs (block null), or carves them out of block. */
  private carve(B: number, T: number, block: FloatArray | null): number {
    const c = this.config;
    const [H, dirs] = [c.hiddenSize, directions(c)];
    let used = 0;
    // counting (block null), every buffer is the empty PLACEHOLDER and only `used` matters
    const take = (rows: number, cols: number): Matrix<FloatArray> => {
      const n = rows * cols;
      const at = used;
      used += Math.ceil(n / 16) * 16; // keep every buffer 64-byte aligned
      return block ? new Matrix(rows, cols, block.subarray(at, at + n)) : PLACEHOLDER;
    };
    const P = paramSlots(c).reduce((n, s) => n + s.size, 0);
    const weights = take(1, P).data;
    const grads = take(1, P).data;
    const layers: LayerBuffers[] = [];
    let input = take(T * B, c.inputSize);
    let dInput = take(T * B, c.inputSize);
    for (let k = 0; k < c.numLayers; k++) {
      const D = k === 0 ? c.inputSize : H * dirs;
      const seqs: Sequence[] = [];
      for (let d = 0; d < dirs; d++)
        seqs.push(sequenceBuffers(c.cell, B, T, D, H, take, d === 0 ? input : null, !block));
      const first = seqs[0] as Sequence;
      const output = dirs === 1 ? (block ? rowsView(first.hs, B, (T + 1) * B) : first.hs) : take(T * B, 2 * H);
      const dOutput = take(T * B, H * dirs);
      layers.push({
        input,
        dirs: seqs,
        output,
        dOutput,
        dhs: dirs === 1 ? [dOutput] : [take(T * B, H), take(T * B, H)],
        dInput,
        dInputReverse: dirs === 2 ? take(T * B, D) : null,
        normsSquared: new Float64Array(block ? T : 0),
      });
      input = output;
      dInput = dOutput;
    }
    const N = c.returnSequences ? T * B : B;
    const y = take(N, c.head.outputSize);
    const dy = take(N, c.head.outputSize);
    if (block) {
      this.weights = paramsFromFlat(c, weights);
      this.grads = paramsFromFlat(c, grads);
      this.layers = layers;
      this.headInput = c.returnSequences ? input : rowsView(input, (T - 1) * B, T * B);
      this.y = y;
      this.dy = dy;
    }
    return used;
  }
}

type Take = (rows: number, cols: number) => Matrix<FloatArray>;

/** One direction's buffers (shared/sequence.ts), carved by `take`; x is taken too unless given. */
function sequenceBuffers(
  cell: CellKind,
  B: number,
  T: number,
  D: number,
  H: number,
  take: Take,
  x: Matrix<FloatArray> | null,
  counting: boolean,
): Sequence {
  const G = GATES[cell];
  const hs = take((T + 1) * B, H);
  return {
    B,
    T,
    x: x ?? take(T * B, D),
    ids: new Int32Array(counting ? 0 : T * B),
    oneHot: false,
    W_hhT: take(H, G * H),
    z: take(T * B, G * H),
    hs,
    hPrev: counting ? hs : rowsView(hs, 0, T * B),
    cs: cell === "lstm" ? take((T + 1) * B, H) : null,
    aux: cell === "rnn" ? null : take(T * B, H),
    dz: take(T * B, G * H),
    dzh: cell === "gru" ? take(T * B, 3 * H) : null,
    ah: cell === "gru" ? take(B, 3 * H).data : null,
    dh: take(B, H).data,
    dhNext: take(B, H).data,
    dcNext: cell === "lstm" ? take(B, H).data : null,
    norms: new Float64Array(counting ? 0 : T),
  };
}

/**
 * The buffers for running one cell over one sequence by hand (rnnForward, lstmForward, …), each its
 * own zeroed array; set x and the initial states in hs (and cs) before the forward.
 */
export function createSequence(cell: CellKind, dtype: DType, B: number, T: number, D: number, H: number): Sequence {
  const take: Take = (rows, cols) => new Matrix(rows, cols, allocArray(dtype, rows * cols));
  return sequenceBuffers(cell, B, T, D, H, take, null, false);
}

const shared = new WeakMap<ModelConfig, Partial<Record<DType, Workspace>>>();

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
