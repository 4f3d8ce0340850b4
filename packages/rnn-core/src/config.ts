/**
 * A model's architecture: the recurrent stack (PyTorch's nn.RNN arguments) plus a linear head.
 * The same object is the `config` section of the model file (docs/model-format.md).
 */
import { ConfigError } from "@unrolled/linalg";

export type CellKind = "rnn" | "lstm" | "gru";
export type Nonlinearity = "tanh" | "relu" | "sigmoid";
export type HeadActivation = "identity" | "softmax" | "sigmoid";

export interface HeadConfig {
  /** O: outputs per step. */
  readonly outputSize: number;
  /** Applied to the head's linear output for predictions (applyActivationInto); losses on logits fuse it instead. */
  readonly activation: HeadActivation;
  /** Dropout on what the head reads, while training (absent: none). */
  readonly dropout?: number;
}

export interface ModelConfig {
  readonly cell: CellKind;
  /** D: features per time step. */
  readonly inputSize: number;
  /** H: hidden units per layer and direction. */
  readonly hiddenSize: number;
  /** L: stacked layers; layer k > 0 reads the outputs of layer k − 1. */
  readonly numLayers: number;
  /** φ in hₜ = φ(xₜW_ihᵀ + b_ih + hₜ₋₁W_hhᵀ + b_hh). PyTorch's nn.RNN offers tanh and relu. LSTM and GRU
   *  have their own fixed gate nonlinearities (σ and tanh): a config for them may leave it out, and if
   *  it gives one, it must be "tanh". */
  readonly nonlinearity: Nonlinearity;
  /** Whether the cells have b_ih and b_hh. */
  readonly bias: boolean;
  /** Runs a second recurrence over the reversed sequence and concatenates (PyTorch's layout). */
  readonly bidirectional: boolean;
  /**
   * Dropout on the outputs of every layer but the last, while training (PyTorch's `dropout` of nn.RNN,
   * nn.LSTM, nn.GRU): each value zeroed with this probability, the rest scaled by 1 / (1 − p). Absent: none.
   */
  readonly dropout?: number;
  /** true: the head runs at every step (many-to-many); false: at the last step only (many-to-one). */
  readonly returnSequences: boolean;
  readonly head: HeadConfig;
}

/** Largest sizes a model file may declare: beyond these a typo, not a model (about 4 GB of floats). */
export const LIMITS = { size: 1 << 20, layers: 64, params: 1 << 30 } as const;

const NONLINEARITIES: readonly Nonlinearity[] = ["tanh", "relu", "sigmoid"];
const ACTIVATIONS: readonly HeadActivation[] = ["identity", "softmax", "sigmoid"];
export const CELL_KINDS: readonly CellKind[] = ["rnn", "lstm", "gru"];

function size(name: string, v: unknown, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) {
    throw new ConfigError(`model config: ${name} must be an integer in [1, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

function oneOf<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) {
    throw new ConfigError(
      `model config: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${JSON.stringify(v)}`,
    );
  }
  return v as T;
}

/** A dropout probability in [0, 1), as a field only when it is > 0 (so configs without dropout stay as they were). */
function rate(name: string, v: unknown): { dropout?: number } {
  if (v === undefined || v === 0) return {};
  if (typeof v !== "number" || !(v > 0 && v < 1))
    throw new ConfigError(`model config: ${name} must be a number in [0, 1), got ${JSON.stringify(v)}`);
  return { dropout: v };
}

function bool(name: string, v: unknown): boolean {
  if (typeof v !== "boolean")
    throw new ConfigError(`model config: ${name} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Validates every field (unknown fields too) and returns a clean copy. As PyTorch's nn.RNN / nn.LSTM /
 * nn.GRU arguments, numLayers (1), nonlinearity ("tanh"), bias (true) and bidirectional (false) may be
 * left out; cell, inputSize, hiddenSize, returnSequences and head may not.
 */
export function validateConfig(c: unknown): ModelConfig {
  if (typeof c !== "object" || c === null || Array.isArray(c))
    throw new ConfigError("model config: expected an object");
  const o = c as Record<string, unknown>;
  const known = [
    "cell",
    "inputSize",
    "hiddenSize",
    "numLayers",
    "nonlinearity",
    "bias",
    "bidirectional",
    "dropout",
    "returnSequences",
    "head",
  ];
  const extra = Object.keys(o).filter((k) => !known.includes(k));
  if (extra.length > 0)
    throw new ConfigError(`model config: unknown field(s) ${extra.join(", ")}; expected ${known.join(", ")}`);
  const head = o.head;
  if (typeof head !== "object" || head === null || Array.isArray(head)) {
    throw new ConfigError('model config: head must be an object {"outputSize", "activation"}');
  }
  const h = head as Record<string, unknown>;
  const headExtra = Object.keys(h).filter((k) => k !== "outputSize" && k !== "activation" && k !== "dropout");
  if (headExtra.length > 0) throw new ConfigError(`model config: head has unknown field(s) ${headExtra.join(", ")}`);
  if (o.cell !== "rnn" && o.cell !== undefined && o.nonlinearity !== undefined && o.nonlinearity !== "tanh") {
    throw new ConfigError(
      `model config: nonlinearity must be "tanh" for ${o.cell === "lstm" ? "an LSTM" : "a GRU"} (its gates use σ and tanh), got ${JSON.stringify(o.nonlinearity)}`,
    );
  }
  return {
    cell: oneOf("cell", o.cell, CELL_KINDS),
    inputSize: size("inputSize", o.inputSize, LIMITS.size),
    hiddenSize: size("hiddenSize", o.hiddenSize, LIMITS.size),
    numLayers: size("numLayers", o.numLayers ?? 1, LIMITS.layers),
    nonlinearity: oneOf("nonlinearity", o.nonlinearity ?? "tanh", NONLINEARITIES),
    bias: bool("bias", o.bias ?? true),
    bidirectional: bool("bidirectional", o.bidirectional ?? false),
    ...rate("dropout", o.dropout),
    returnSequences: bool("returnSequences", o.returnSequences),
    head: {
      outputSize: size("head.outputSize", h.outputSize, LIMITS.size),
      activation: oneOf("head.activation", h.activation, ACTIVATIONS),
      ...rate("head.dropout", h.dropout),
    },
  };
}

/** A config with PyTorch's defaults for everything not given. */
export function modelConfig(
  c: Partial<ModelConfig> & Pick<ModelConfig, "inputSize" | "hiddenSize"> & { head: HeadConfig },
): ModelConfig {
  return validateConfig({
    cell: "rnn",
    numLayers: 1,
    nonlinearity: "tanh",
    bias: true,
    bidirectional: false,
    returnSequences: false,
    ...c,
  });
}

/** Number of directions: 1, or 2 when bidirectional. */
export const directions = (c: ModelConfig): 1 | 2 => (c.bidirectional ? 2 : 1);
