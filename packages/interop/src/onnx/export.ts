/**
 * A model as an ONNX graph of standard operators (opset 14), float32, batch and sequence length dynamic:
 *
 *   x (batch, seq, D) ─Transpose→ (seq, batch, D)
 *     per layer k: RNN|LSTM|GRU (W_l{k}, R_l{k}, B_l{k}) → Y (seq, dirs, batch, H)
 *                  ─Transpose [0,2,1,3]→ (seq, batch, dirs, H) ─Reshape [0,0,−1]→ (seq, batch, dirs·H)
 *   many-to-many: ─Transpose→ (batch, seq, dirs·H) ─MatMul head.weightᵀ, Add head.bias→ (batch, seq, O)
 *   many-to-one:  ─Gather step −1→ (batch, dirs·H) ─Gemm head.weight, head.bias (transB)→ (batch, O)
 *   then Softmax (last axis) or Sigmoid when the head has that activation → y
 *
 * With `sequenceLengths`, the graph has a second input sequence_lens (batch) int32, each sequence's
 * length (padded sequences, PyTorch's pack_padded_sequence): every recurrent operator takes it as its
 * sequence_lens (ONNX's outputs past a sequence's end are zeros, as PyTorch's), and many-to-one reads
 * each sequence's last step, ─Transpose→ (batch, seq, dirs·H) ─GatherND at sequence_lens − 1→.
 *
 * The recurrent operators run with layout 0 (time-major) because ONNX Runtime's CPU kernels implement
 * only that; the Transposes make the graph batch-first like the model. Initial states are zero, as in
 * `unrolled predict` without h0. The config is kept in metadata_props["unrolled.config"] so that
 * `importOnnx` can rebuild the model exactly.
 */
import { FormatError } from "@unrolled/linalg";
import { directions, GATES, type ModelParams, type ModelSections } from "@unrolled/rnn-core";
import { CONFIG_KEY, SECTIONS_KEY } from "../safetensors/model.js";
import { ONNX_FROM_TORCH, ONNX_OP as OP, ONNX_ACTIVATION as PHI, permuteGates } from "./gates.js";
import { type Attribute, AttributeType, DataType, encodeModel, type Node, type Tensor } from "./proto.js";

export const ONNX_OPSET = 14;
export const ONNX_IR_VERSION = 8;

const enc = new TextEncoder();
const int = (name: string, i: number): Attribute => ({ name, type: AttributeType.INT, i });
const ints = (name: string, v: number[]): Attribute => ({ name, type: AttributeType.INTS, ints: v });
const str = (name: string, s: string): Attribute => ({ name, type: AttributeType.STRING, s: enc.encode(s) });
const strs = (name: string, v: string[]): Attribute => ({
  name,
  type: AttributeType.STRINGS,
  strings: v.map((s) => enc.encode(s)),
});

/** A float32 initializer, little-endian raw_data. */
function floatTensor(name: string, dims: number[], values: ArrayLike<number>): Tensor {
  const raw = new Uint8Array(4 * values.length);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i] as number, true);
  return { name, dims, dataType: DataType.FLOAT, rawData: raw };
}

function int64Tensor(name: string, dims: number[], values: number[]): Tensor {
  return { name, dims, dataType: DataType.INT64, int64Data: values };
}

export interface OnnxExportOptions {
  /** Apply the head's activation (softmax or sigmoid) in the graph, as `unrolled predict` does (default true). */
  readonly activation?: boolean;
  /** Written to the model's doc_string. */
  readonly docString?: string;
  /** The model file's other sections, kept in metadata_props["unrolled.sections"]. */
  readonly sections?: ModelSections;
  /** Add an input sequence_lens (batch) int32 for padded sequences of different lengths (default false). */
  readonly sequenceLengths?: boolean;
}

/** The model as ONNX bytes (a serialized ModelProto). */
export function exportOnnx(p: ModelParams, opts: OnnxExportOptions = {}): Uint8Array {
  const c = p.config;
  const H = c.hiddenSize;
  const G = GATES[c.cell];
  const dirs = directions(c);
  const order = ONNX_FROM_TORCH[c.cell];
  const nodes: Node[] = [];
  const inits: Tensor[] = [int64Tensor("merge_directions", [3], [0, 0, -1])];

  nodes.push({ opType: "Transpose", input: ["x"], output: ["x_time_major"], attribute: [ints("perm", [1, 0, 2])] });
  let input = "x_time_major";
  for (let k = 0; k < c.numLayers; k++) {
    const Din = k === 0 ? c.inputSize : H * dirs;
    const W = new Float32Array(dirs * G * H * Din); // (dirs, G·H, D_k)
    const R = new Float32Array(dirs * G * H * H); // (dirs, G·H, H)
    const B = new Float32Array(dirs * 2 * G * H); // (dirs, 2·G·H) = [Wb | Rb]
    for (let d = 0; d < dirs; d++) {
      const cell = p.layers[k]?.[d];
      if (cell === undefined) throw new FormatError(`onnx export: parameters lack layer ${k} direction ${d}`);
      permuteGates(cell.W_ih.data, W, d * G * H * Din, H, Din, order);
      permuteGates(cell.W_hh.data, R, d * G * H * H, H, H, order);
      if (cell.b_ih !== null && cell.b_hh !== null) {
        permuteGates(cell.b_ih.data, B, d * 2 * G * H, H, 1, order);
        permuteGates(cell.b_hh.data, B, d * 2 * G * H + G * H, H, 1, order);
      }
    }
    inits.push(floatTensor(`W_l${k}`, [dirs, G * H, Din], W), floatTensor(`R_l${k}`, [dirs, G * H, H], R));
    if (c.bias) inits.push(floatTensor(`B_l${k}`, [dirs, 2 * G * H], B));
    const attribute = [int("hidden_size", H), str("direction", dirs === 2 ? "bidirectional" : "forward")];
    if (c.cell === "rnn") attribute.push(strs("activations", Array(dirs).fill(PHI[c.nonlinearity])));
    if (c.cell === "gru") attribute.push(int("linear_before_reset", 1)); // PyTorch's r ⊙ (W_hn h + b_hn)
    const operands = c.bias ? [input, `W_l${k}`, `R_l${k}`, `B_l${k}`] : [input, `W_l${k}`, `R_l${k}`];
    if (opts.sequenceLengths) operands.push(...(c.bias ? [] : [""]), "sequence_lens"); // "" skips the optional B
    nodes.push(
      {
        opType: OP[c.cell],
        name: `${c.cell}_l${k}`,
        input: operands,
        output: [`Y_l${k}`],
        attribute,
      },
      { opType: "Transpose", input: [`Y_l${k}`], output: [`Y_l${k}_sbdh`], attribute: [ints("perm", [0, 2, 1, 3])] },
      { opType: "Reshape", input: [`Y_l${k}_sbdh`, "merge_directions"], output: [`h_l${k}`] },
    );
    input = `h_l${k}`;
  }

  const O = c.head.outputSize;
  const act = opts.activation !== false && c.head.activation !== "identity" ? c.head.activation : null;
  const logits = act === null ? "y" : "logits";
  const W_hy = p.head.W_hy.data; // (O, H·dirs)
  if (c.returnSequences) {
    const WT = new Float32Array(H * dirs * O); // (H·dirs, O)
    for (let o = 0; o < O; o++) for (let j = 0; j < H * dirs; j++) WT[j * O + o] = W_hy[o * H * dirs + j] as number;
    inits.push(floatTensor("head.weight_t", [H * dirs, O], WT), floatTensor("head.bias", [O], p.head.b_y.data));
    nodes.push(
      { opType: "Transpose", input: [input], output: ["h_batch_first"], attribute: [ints("perm", [1, 0, 2])] },
      { opType: "MatMul", input: ["h_batch_first", "head.weight_t"], output: ["head_matmul"] },
      { opType: "Add", input: ["head_matmul", "head.bias"], output: [logits] },
    );
  } else {
    inits.push(floatTensor("head.weight", [O, H * dirs], W_hy), floatTensor("head.bias", [O], p.head.b_y.data));
    if (opts.sequenceLengths) nodes.push(...lastStepOfEach(input, inits));
    else {
      inits.push(int64Tensor("last_step", [], [-1]));
      nodes.push({ opType: "Gather", input: [input, "last_step"], output: ["h_last"], attribute: [int("axis", 0)] });
    }
    nodes.push({
      opType: "Gemm",
      input: ["h_last", "head.weight", "head.bias"],
      output: [logits],
      attribute: [int("transB", 1)],
    });
  }
  if (act === "softmax")
    nodes.push({ opType: "Softmax", input: [logits], output: ["y"], attribute: [int("axis", -1)] });
  if (act === "sigmoid") nodes.push({ opType: "Sigmoid", input: [logits], output: ["y"] });

  const dim = (d: number | string) => (typeof d === "number" ? { dimValue: d } : { dimParam: d });
  const value = (name: string, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map(dim) } } },
  });
  return encodeModel({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    producerName: "unrolled",
    producerVersion: "1",
    docString: opts.docString ?? `${c.numLayers}-layer ${c.bidirectional ? "bidirectional " : ""}${OP[c.cell]}`,
    graph: {
      name: "unrolled",
      node: nodes.map((n, i) => ({ name: `${n.opType.toLowerCase()}_${i}`, ...n })),
      initializer: inits,
      input: [
        value("x", ["batch", "seq", c.inputSize]),
        ...(opts.sequenceLengths
          ? [
              {
                name: "sequence_lens",
                type: { tensorType: { elemType: DataType.INT32, shape: { dim: [dim("batch")] } } },
              },
            ]
          : []),
      ],
      output: [value("y", c.returnSequences ? ["batch", "seq", O] : ["batch", O])],
    },
    metadataProps: [
      { key: CONFIG_KEY, value: JSON.stringify(c) },
      ...(opts.sections !== undefined && Object.keys(opts.sections).length > 0
        ? [{ key: SECTIONS_KEY, value: JSON.stringify(opts.sections) }]
        : []),
    ],
  });
}

/** h (seq, batch, F) at step sequence_lens[b] − 1 of each sequence b → h_last (batch, F). */
function lastStepOfEach(h: string, inits: Tensor[]): Node[] {
  inits.push(int64Tensor("one", [], [1]), int64Tensor("axis_1", [1], [1]));
  return [
    { opType: "Cast", input: ["sequence_lens"], output: ["lens_i64"], attribute: [int("to", DataType.INT64)] },
    { opType: "Sub", input: ["lens_i64", "one"], output: ["last_index"] },
    { opType: "Unsqueeze", input: ["last_index", "axis_1"], output: ["last_index_b1"] }, // (batch, 1)
    { opType: "Transpose", input: [h], output: ["h_batch_first"], attribute: [ints("perm", [1, 0, 2])] },
    {
      opType: "GatherND",
      input: ["h_batch_first", "last_index_b1"],
      output: ["h_last"],
      attribute: [int("batch_dims", 1)],
    },
  ];
}
