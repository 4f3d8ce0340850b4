/** The CLI's JSON data files: {"x": (B, T, D)} inputs and {"y": …} targets, validated against the model. */
import { type DType, type FloatArray, fromArray, type Matrix, type Tensor3, tensor3 } from "@unrolled/linalg";
import type { LossKind, ModelConfig, Target } from "@unrolled/rnn-core";
import { CliError } from "./errors.js";

/**
 * Reads a regular nested array of finite numbers whose depth is dims.length; a null dimension is
 * taken from the data. Returns the flat values and the dims found. Errors name the first bad index.
 */
export function nested(
  v: unknown,
  dims: readonly (number | null)[],
  where: string,
  symbols: readonly string[],
): { data: number[]; dims: number[] } {
  const found: number[] = [];
  const data: number[] = [];
  const walk = (node: unknown, depth: number, path: string): void => {
    if (depth === dims.length) {
      if (typeof node !== "number" || !Number.isFinite(node))
        throw new CliError(`${where}${path} is ${JSON.stringify(node) ?? "missing"}, expected a finite number`);
      data.push(node);
      return;
    }
    if (!Array.isArray(node)) {
      throw new CliError(
        `${where}${path} is ${JSON.stringify(node)?.slice(0, 40) ?? "missing"}, expected an array (${symbols.slice(depth).join(", ")})`,
      );
    }
    const want = found[depth] ?? dims[depth] ?? null;
    if (want !== null && node.length !== want) {
      throw new CliError(`${where}${path} has ${node.length} entries, expected ${want} (${symbols[depth]})`);
    }
    if (found[depth] === undefined) found[depth] = node.length;
    if (node.length === 0)
      throw new CliError(`${where}${path} is empty, expected at least one entry (${symbols[depth]})`);
    for (const [i, child] of node.entries()) walk(child, depth + 1, `${path}[${i}]`);
  };
  walk(v, 0, "");
  return { data, dims: found };
}

function field(json: unknown, key: string, file: string): unknown {
  if (typeof json !== "object" || json === null || Array.isArray(json) || !(key in json)) {
    throw new CliError(`${file}: expected a JSON object with a "${key}" field`);
  }
  return (json as Record<string, unknown>)[key];
}

const array = (data: number[], dtype: DType): FloatArray =>
  dtype === "float32" ? Float32Array.from(data) : Float64Array.from(data);

/**
 * {"x": [[[…]]]} shaped (B, T, D) with D = the model's inputSize, and optionally "lengths" (B integers
 * in [1, T]: sequences padded to T, PyTorch's pack_padded_sequence), "h0" (and for an LSTM "c0"), the
 * initial states (L·dirs, B, H) in PyTorch's layout.
 */
export function parseInput(
  json: unknown,
  file: string,
  config: ModelConfig,
  dtype: DType,
): { x: Tensor3<FloatArray>; h0?: Tensor3<FloatArray>; c0?: Tensor3<FloatArray>; lengths?: number[] } {
  const symbols = ["B", "T", "D = the model's inputSize"];
  const { data, dims } = nested(field(json, "x", file), [null, null, config.inputSize], `${file}: x`, symbols);
  const [B, T, D] = dims as [number, number, number];
  const x = tensor3(B, T, D, array(data, dtype));
  const S = config.numLayers * (config.bidirectional ? 2 : 1);
  const state = (name: "h0" | "c0") => {
    const v = (json as Record<string, unknown>)[name];
    if (v === undefined) return undefined;
    if (name === "c0" && config.cell !== "lstm")
      throw new CliError(
        `${file}: "c0" is the LSTM's initial cell state; this model is a${config.cell === "rnn" ? "n RNN" : " GRU"}`,
      );
    const t = nested(v, [S, B, config.hiddenSize], `${file}: ${name}`, ["L·dirs", "B", "H"]);
    return tensor3(S, B, config.hiddenSize, array(t.data, dtype));
  };
  const [h0, c0] = [state("h0"), state("c0")];
  const lengths = (json as Record<string, unknown>).lengths;
  if (lengths === undefined) return { x, ...(h0 ? { h0 } : {}), ...(c0 ? { c0 } : {}) };
  const L = nested(lengths, [B], `${file}: lengths`, ["B"]).data;
  L.forEach((l, b) => {
    if (!Number.isInteger(l) || l < 1 || l > T)
      throw new CliError(
        `${file}: lengths[${b}] is ${l}, expected an integer in [1, ${T}] (T, the padded length of x)`,
      );
  });
  return { x, ...(h0 ? { h0 } : {}), ...(c0 ? { c0 } : {}), lengths: L };
}

/** {"y": …} in the layout the loss needs, as rows matching the model's outputs (N = B·T or B). */
export function parseTarget(
  json: unknown,
  file: string,
  config: ModelConfig,
  loss: LossKind,
  B: number,
  T: number,
  dtype: DType,
): Target {
  const y = field(json, "y", file);
  const O = config.head.outputSize;
  const seq = config.returnSequences;
  if (loss === "ce") {
    const { data } = nested(y, seq ? [B, T] : [B], `${file}: y`, seq ? ["B", "T"] : ["B"]);
    data.forEach((c, i) => {
      if (!Number.isInteger(c) || c < 0 || c >= O)
        throw new CliError(
          `${file}: y value ${i} is ${c}, expected a class index in [0, ${O}) (the head's outputSize)`,
        );
    });
    return data;
  }
  const dims = seq ? [B, T, O] : [B, O];
  const { data } = nested(
    y,
    dims,
    `${file}: y`,
    seq ? ["B", "T", "O = the head's outputSize"] : ["B", "O = the head's outputSize"],
  );
  const N = seq ? B * T : B;
  return fromArray(data, N, O, dtype) as Matrix<FloatArray>;
}

/** The head's outputs (N, O) back in the user's layout: (B, T, O) for many-to-many, (B, O) otherwise. */
export function outputsLayout(
  y: Matrix<FloatArray>,
  config: ModelConfig,
  B: number,
  T: number,
): number[][] | number[][][] {
  const rows = Array.from({ length: y.rows }, (_, i) => Array.from(y.data.subarray(i * y.cols, (i + 1) * y.cols)));
  if (!config.returnSequences) return rows;
  return Array.from({ length: B }, (_, b) => rows.slice(b * T, (b + 1) * T));
}
