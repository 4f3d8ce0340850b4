/**
 * Reads back a model written by `exportOnnx`: the config from metadata_props["unrolled.config"], the
 * weights from the recurrent operators' W, R, B initializers (gates put back into PyTorch's order) and
 * the head's. Everything is checked against the config — operator types, hidden_size, direction, GRU's
 * linear_before_reset, every tensor's dims and values — so a malformed or foreign file is a FormatError
 * saying what differs, never a model with wrong weights. (Models from other exporters: use safetensors.)
 */
import { assertJsonDepth, type DType, FormatError } from "@unrolled/linalg";
import {
  allocateParams,
  type CellParams,
  directions,
  GATES,
  type ModelConfig,
  type ModelParams,
  type ModelSections,
  validateConfig,
} from "@unrolled/rnn-core";
import { CONFIG_KEY, SECTIONS_KEY, sectionsFromMetadata } from "../safetensors/model.js";
import { ONNX_FROM_TORCH, ONNX_OP as OP, ONNX_ACTIVATION as PHI, permuteGates } from "./gates.js";
import { type Attribute, DataType, decodeModel, type Graph, type Model, type Tensor } from "./proto.js";

const fmt = (s: readonly number[]) => `[${s.join(", ")}]`;

function decode(bytes: Uint8Array): Model {
  if (bytes.length === 0) throw new FormatError("onnx: the file is empty");
  try {
    return decodeModel(bytes);
  } catch (e) {
    throw new FormatError(`onnx: not a valid ONNX model (protobuf: ${(e as Error).message})`);
  }
}

function configOf(m: Model): ModelConfig {
  const text = m.metadataProps?.find((p) => p.key === CONFIG_KEY)?.value;
  if (text === undefined)
    throw new FormatError(
      `onnx: no metadata_props "${CONFIG_KEY}"; only ONNX files written by Unrolled (exportOnnx) import; for PyTorch models use safetensors`,
    );
  assertJsonDepth(text, `onnx: metadata "${CONFIG_KEY}"`);
  try {
    return validateConfig(JSON.parse(text));
  } catch (e) {
    throw new FormatError(`onnx: metadata "${CONFIG_KEY}" is not a valid config (${(e as Error).message})`);
  }
}

/** The float values of an initializer, checked against the expected dims. */
function floats(g: Graph, name: string, dims: number[]): Float64Array {
  const same = g.initializer.filter((i) => i.name === name);
  if (same.length > 1) throw new FormatError(`onnx: initializer "${name}" appears ${same.length} times, expected once`);
  const t: Tensor | undefined = same[0];
  if (t === undefined) throw new FormatError(`onnx: missing initializer "${name}" ${fmt(dims)}`);
  const got = t.dims ?? [];
  if (got.length !== dims.length || got.some((d, i) => d !== dims[i]))
    throw new FormatError(`onnx: initializer "${name}" has dims ${fmt(got)}, expected ${fmt(dims)}`);
  const n = dims.reduce((a, b) => a * b, 1);
  let out: Float64Array;
  if (t.dataType === DataType.FLOAT && t.rawData !== undefined && t.rawData.length > 0) {
    if (t.rawData.length !== 4 * n)
      throw new FormatError(`onnx: initializer "${name}" has ${t.rawData.length} bytes, expected ${4 * n}`);
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    out = Float64Array.from({ length: n }, (_, i) => view.getFloat32(4 * i, true));
  } else if (t.dataType === DataType.FLOAT || t.dataType === DataType.DOUBLE) {
    const data = (t.dataType === DataType.FLOAT ? t.floatData : t.doubleData) ?? [];
    if (data.length !== n)
      throw new FormatError(`onnx: initializer "${name}" has ${data.length} values, expected ${n}`);
    out = Float64Array.from(data);
  } else throw new FormatError(`onnx: initializer "${name}" has data_type ${t.dataType}, expected FLOAT (1)`);
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new FormatError(`onnx: initializer "${name}" holds ${out[bad]} at index ${bad}`);
  return out;
}

const dec = new TextDecoder();
function attr(attrs: Attribute[] | undefined, name: string): Attribute | undefined {
  return attrs?.find((a) => a.name === name);
}

/** A model (and its sections) from ONNX bytes written by `exportOnnx`, in the given dtype (default float64). */
export function importOnnx(
  bytes: Uint8Array,
  dtype: DType = "float64",
): { params: ModelParams; sections: ModelSections } {
  const m = decode(bytes);
  const g = m.graph;
  if (g === undefined || (g.node ?? []).length === 0) throw new FormatError("onnx: the model has no graph");
  g.initializer ??= [];
  const c = configOf(m);
  const H = c.hiddenSize;
  const G = GATES[c.cell];
  const dirs = directions(c);
  const op = OP[c.cell];
  const recurrent = g.node.filter((n) => n.opType === "RNN" || n.opType === "LSTM" || n.opType === "GRU");
  if (recurrent.length !== c.numLayers || recurrent.some((n) => n.opType !== op))
    throw new FormatError(
      `onnx: graph has recurrent operators [${recurrent.map((n) => n.opType).join(", ")}], config expects ${c.numLayers}× ${op}`,
    );
  const p = allocateParams(c, dtype);
  const order = ONNX_FROM_TORCH[c.cell];
  recurrent.forEach((node, k) => {
    const hidden = attr(node.attribute, "hidden_size")?.i;
    if (hidden !== H) throw new FormatError(`onnx: ${op} layer ${k} has hidden_size ${hidden}, config says ${H}`);
    const dirAttr = attr(node.attribute, "direction")?.s;
    const direction = dirAttr === undefined ? "forward" : dec.decode(dirAttr);
    if (direction !== (dirs === 2 ? "bidirectional" : "forward"))
      throw new FormatError(
        `onnx: ${op} layer ${k} has direction "${direction}", config says bidirectional=${dirs === 2}`,
      );
    if (c.cell === "rnn") {
      const listed = (attr(node.attribute, "activations")?.strings ?? []).map((b) => dec.decode(b));
      const acts = listed.length === 0 ? ["Tanh"] : listed; // ONNX's default
      const want = PHI[c.nonlinearity];
      if (acts.some((a) => a !== want))
        throw new FormatError(`onnx: RNN layer ${k} has activations [${acts.join(", ")}], config says ${want}`);
    }
    if (c.cell === "gru" && attr(node.attribute, "linear_before_reset")?.i !== 1)
      throw new FormatError(`onnx: GRU layer ${k} needs linear_before_reset = 1 (PyTorch's GRU)`);
    const Din = k === 0 ? c.inputSize : H * dirs;
    const [x, wName, rName, bName] = node.input;
    if (x === undefined || wName === undefined || rName === undefined)
      throw new FormatError(`onnx: ${op} layer ${k} lacks its W and R inputs`);
    const W = floats(g, wName, [dirs, G * H, Din]);
    const R = floats(g, rName, [dirs, G * H, H]);
    const hasB = bName !== undefined && bName !== "";
    if (hasB !== c.bias)
      throw new FormatError(`onnx: ${op} layer ${k} ${hasB ? "has" : "lacks"} a B input, config says bias=${c.bias}`);
    const B = hasB ? floats(g, bName, [dirs, 2 * G * H]) : null;
    for (let d = 0; d < dirs; d++) {
      const cell = p.layers[k]?.[d] as CellParams;
      permuteGates(W.subarray(d * G * H * Din), cell.W_ih.data, 0, H, Din, order, true);
      permuteGates(R.subarray(d * G * H * H), cell.W_hh.data, 0, H, H, order, true);
      if (B !== null && cell.b_ih !== null && cell.b_hh !== null) {
        permuteGates(B.subarray(d * 2 * G * H), cell.b_ih.data, 0, H, 1, order, true);
        permuteGates(B.subarray(d * 2 * G * H + G * H), cell.b_hh.data, 0, H, 1, order, true);
      }
    }
  });
  const O = c.head.outputSize;
  const W_hy = p.head.W_hy.data; // (O, H·dirs)
  if (c.returnSequences) {
    const WT = floats(g, "head.weight_t", [H * dirs, O]);
    for (let o = 0; o < O; o++) for (let j = 0; j < H * dirs; j++) W_hy[o * H * dirs + j] = WT[j * O + o] as number;
  } else W_hy.set(floats(g, "head.weight", [O, H * dirs]));
  p.head.b_y.data.set(floats(g, "head.bias", [O]));
  const sections = m.metadataProps?.find((e) => e.key === SECTIONS_KEY)?.value;
  return { params: p, sections: sectionsFromMetadata(sections, "onnx") };
}
