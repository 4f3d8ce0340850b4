/**
 * Parameters live in one flat typed array (what optimizers, gradcheck and a Web Worker's postMessage
 * see) with named Matrix views into it (what the maths reads): `p.layers[k][dir].W_hh` is the same
 * memory as `p.tensors.get("rnn.weight_hh_l{k}")`. Gradients have exactly the same structure, made
 * by `zerosLikeParams(p)`, so `grads.flat[i]` is ∂L/∂`p.flat[i]`.
 */
import { allocArray, type DType, dtypeOf, type FloatArray, Matrix, ShapeError } from "@unrolled/linalg";
import type { ModelConfig } from "../config.js";
import { type ParamSpec, paramSpec } from "./spec.js";

/** One direction of one layer. Biases are (1, G·H) row views; null when the model has no bias. */
export interface CellParams {
  readonly W_ih: Matrix<FloatArray>; // (G·H, D_k)
  readonly W_hh: Matrix<FloatArray>; // (G·H, H)
  readonly b_ih: Matrix<FloatArray> | null; // (1, G·H)
  readonly b_hh: Matrix<FloatArray> | null; // (1, G·H)
}

export interface HeadParams {
  readonly W_hy: Matrix<FloatArray>; // (O, H·dirs)
  readonly b_y: Matrix<FloatArray>; // (1, O)
}

export interface SpecSlot extends ParamSpec {
  readonly offset: number;
  readonly size: number;
}

export interface ModelParams {
  readonly config: ModelConfig;
  readonly dtype: DType;
  readonly flat: FloatArray;
  readonly slots: readonly SpecSlot[];
  /** [layer][direction] */
  readonly layers: readonly (readonly CellParams[])[];
  readonly head: HeadParams;
  /** Every tensor by its PyTorch name (vectors as (1, n) views). */
  readonly tensors: ReadonlyMap<string, Matrix<FloatArray>>;
}

/** The slots (name, shape, offset) of a config's parameters in the flat vector. */
export function paramSlots(config: ModelConfig): SpecSlot[] {
  let offset = 0;
  return paramSpec(config).map((s) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const slot = { ...s, offset, size };
    offset += size;
    return slot;
  });
}

/** Views a flat buffer as a model's parameters (no copy). Its length must be the parameter count. */
export function paramsFromFlat(config: ModelConfig, flat: FloatArray): ModelParams {
  const slots = paramSlots(config);
  const total = slots.reduce((n, s) => n + s.size, 0);
  if (flat.length !== total)
    throw new ShapeError("paramsFromFlat", "flat", [flat.length], [total], "(parameter count)");
  const tensors = new Map<string, Matrix<FloatArray>>();
  const layers: Record<string, Matrix<FloatArray>>[][] = Array.from({ length: config.numLayers }, () => [{}, {}]);
  const head: Record<string, Matrix<FloatArray>> = {};
  for (const s of slots) {
    const [r, c] = s.shape.length === 2 ? (s.shape as [number, number]) : [1, s.shape[0] as number];
    const m = new Matrix(r, c, flat.subarray(s.offset, s.offset + s.size));
    tensors.set(s.name, m);
    if (s.layer < 0) head[s.role] = m;
    else
      (layers[s.layer] as Record<string, Matrix<FloatArray>>[])[s.dir] = {
        ...(layers[s.layer]?.[s.dir] ?? {}),
        [s.role]: m,
      };
  }
  const dirs = config.bidirectional ? 2 : 1;
  return {
    config,
    dtype: dtypeOf(flat),
    flat,
    slots,
    layers: layers.map((l) =>
      l.slice(0, dirs).map((d) => ({
        W_ih: d.W_ih as Matrix<FloatArray>,
        W_hh: d.W_hh as Matrix<FloatArray>,
        b_ih: d.b_ih ?? null,
        b_hh: d.b_hh ?? null,
      })),
    ),
    head: { W_hy: head.W_hy as Matrix<FloatArray>, b_y: head.b_y as Matrix<FloatArray> },
    tensors,
  };
}

/** The cell parameters of layer k, direction d (0 forward, 1 reverse). */
export function cellAt(p: ModelParams, k: number, d: number): CellParams {
  const cell = p.layers[k]?.[d];
  if (cell === undefined)
    throw new ShapeError(
      "cellAt",
      "(layer, direction)",
      [k, d],
      [p.layers.length, p.layers[0]?.length ?? 0],
      "(< L, < dirs)",
    );
  return cell;
}

/** Zero-filled parameters for `config` in the given dtype (default float64). */
export function allocateParams(config: ModelConfig, dtype: DType = "float64"): ModelParams {
  const total = paramSlots(config).reduce((n, s) => n + s.size, 0);
  return paramsFromFlat(config, allocArray(dtype, total));
}

/** Same structure, own zeroed storage: the gradient buffers for `p`. */
export function zerosLikeParams(p: ModelParams): ModelParams {
  return allocateParams(p.config, p.dtype);
}

/** A deep copy with its own storage. */
export function cloneParams(p: ModelParams): ModelParams {
  return paramsFromFlat(p.config, p.flat.slice());
}

/** Sets every gradient to zero: the explicit, visible zeroing step of a training loop. */
export function zeroGrads(grads: ModelParams): void {
  grads.flat.fill(0);
}

/** The same parameters in another dtype (a copy; float64 → float32 rounds). */
export function castParams(p: ModelParams, dtype: DType): ModelParams {
  const flat = allocArray(dtype, p.flat.length);
  flat.set(p.flat);
  return paramsFromFlat(p.config, flat);
}
