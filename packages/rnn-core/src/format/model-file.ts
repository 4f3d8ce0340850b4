/**
 * The model file, format version 1 (docs/model-format.md): JSON that holds the config and every
 * tensor under its PyTorch state_dict name, so `torch.nn.RNN` weights convert by renaming nothing.
 *
 *   { "format": "unrolled.model", "version": 1,
 *     "config": { "cell", "inputSize", "hiddenSize", "numLayers", "nonlinearity", "bias",
 *                 "bidirectional", "returnSequences", "head": { "outputSize", "activation" } },
 *     "params": { "rnn.weight_ih_l0": { "shape": [H, D], "data": [...] }, ... },
 *     "preprocessing"?, "vocabulary"?, "optimizer"?, "metadata"?, "training"? }
 *
 * Loading validates everything before allocating anything and throws one FormatError whose message
 * names the field and what was expected; a loaded model can never fail later because of its file.
 */
import { assertJsonDepth, ConfigError, type DType, FormatError } from "@unrolled/linalg";
import { LIMITS, type ModelConfig, validateConfig } from "../config.js";
import { allocateParams, type ModelParams, paramSlots } from "../params/params.js";

export const MODEL_FORMAT = "unrolled.model";
export const MODEL_VERSION = 1;

/** Optional sections that other packages fill (scalers, vocabularies, optimizer state, notes). */
export const MODEL_SECTIONS = ["preprocessing", "vocabulary", "optimizer", "metadata", "training"] as const;
export type ModelSections = Partial<Record<(typeof MODEL_SECTIONS)[number], unknown>>;

export interface TensorJson {
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

export interface ModelFile extends ModelSections {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  readonly config: ModelConfig;
  readonly params: Readonly<Record<string, TensorJson>>;
}

/** The model file object for `p`, tensors in PyTorch state_dict order. */
export function toModelFile(p: ModelParams, sections: ModelSections = {}): ModelFile {
  const params: Record<string, TensorJson> = {};
  for (const s of p.slots)
    params[s.name] = { shape: [...s.shape], data: Array.from(p.flat.subarray(s.offset, s.offset + s.size)) };
  const extra: ModelSections = {};
  for (const k of MODEL_SECTIONS) if (sections[k] !== undefined) extra[k] = sections[k];
  return { format: MODEL_FORMAT, version: MODEL_VERSION, config: p.config, params, ...extra };
}

/** The model file as JSON text. */
export function serializeModel(p: ModelParams, sections: ModelSections = {}): string {
  return `${JSON.stringify(toModelFile(p, sections))}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const fmtShape = (s: readonly number[]) => `[${s.join(", ")}]`;

/**
 * Parses and validates a model file (its JSON text or the parsed object) into parameters of the given
 * dtype, plus its optional sections. Every problem is a FormatError naming what was wrong.
 */
export function loadModel(
  input: string | unknown,
  dtype: DType = "float64",
): { params: ModelParams; sections: ModelSections } {
  let file: unknown = input;
  if (typeof input === "string") {
    assertJsonDepth(input, "model file");
    try {
      file = JSON.parse(input);
    } catch (e) {
      throw new FormatError(`model file: not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isObject(file)) throw new FormatError("model file: expected a JSON object");
  if (file.format !== MODEL_FORMAT) {
    throw new FormatError(`model file: "format" is ${JSON.stringify(file.format)}, expected "${MODEL_FORMAT}"`);
  }
  if (file.version !== MODEL_VERSION) {
    throw new FormatError(`model file: unsupported version ${JSON.stringify(file.version)}, expected ${MODEL_VERSION}`);
  }
  const allowed = ["format", "version", "config", "params", ...MODEL_SECTIONS];
  const unknown = Object.keys(file).filter((k) => !allowed.includes(k));
  if (unknown.length > 0)
    throw new FormatError(`model file: unknown section(s) ${unknown.join(", ")}; expected ${allowed.join(", ")}`);
  let config: ModelConfig;
  try {
    config = validateConfig(file.config);
  } catch (e) {
    if (ConfigError.isInstance(e)) throw new FormatError(`model file: ${e.message}`);
    throw e;
  }
  const slots = paramSlots(config);
  const total = slots.reduce((n, s) => n + s.size, 0);
  if (total > LIMITS.params)
    throw new FormatError(`model file: config implies ${total} parameters, more than the limit of ${LIMITS.params}`);
  if (!isObject(file.params))
    throw new FormatError('model file: "params" must be an object of {"shape", "data"} tensors');
  const params = file.params;
  const expectedNames = new Set(slots.map((s) => s.name));
  const extra = Object.keys(params).filter((k) => !expectedNames.has(k));
  if (extra.length > 0) throw new FormatError(`model file: unexpected tensor(s) ${extra.join(", ")} for this config`);
  const p = allocateParams(config, dtype);
  readTensors(p, params, dtype);
  const sections: ModelSections = {};
  for (const k of MODEL_SECTIONS) if (file[k] !== undefined) sections[k] = file[k];
  return { params: p, sections };
}

/** Every tensor of `p`'s spec from the file's "params", checked for shape, count and finiteness, into p. */
function readTensors(p: ModelParams, params: Record<string, unknown>, dtype: DType): void {
  for (const s of p.slots) {
    const t = params[s.name];
    if (t === undefined) throw new FormatError(`model file: missing tensor "${s.name}" ${fmtShape(s.shape)}`);
    if (!isObject(t) || !Array.isArray(t.shape) || !Array.isArray(t.data)) {
      throw new FormatError(`model file: tensor "${s.name}" must be {"shape": [...], "data": [...]}`);
    }
    if (t.shape.length !== s.shape.length || t.shape.some((d, i) => d !== s.shape[i])) {
      throw new FormatError(
        `model file: tensor "${s.name}" has shape ${fmtShape(t.shape as number[])}, expected ${fmtShape(s.shape)}`,
      );
    }
    if (t.data.length !== s.size) {
      throw new FormatError(
        `model file: tensor "${s.name}" has ${t.data.length} values, expected ${s.size} for shape ${fmtShape(s.shape)}`,
      );
    }
    for (let i = 0; i < s.size; i++) {
      const v = t.data[i];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new FormatError(
          `model file: tensor "${s.name}" value ${i} is ${JSON.stringify(v)}, expected a finite number`,
        );
      }
      p.flat[s.offset + i] = v;
      if (!Number.isFinite(p.flat[s.offset + i] as number)) {
        throw new FormatError(`model file: tensor "${s.name}" value ${i} (${v}) overflows ${dtype}`);
      }
    }
  }
}
