/**
 * A model's weights as safetensors. The tensor names are the model file's, which are PyTorch's
 * state_dict names (`rnn.weight_ih_l0`, `head.weight`, …), so a module with `self.rnn = nn.LSTM(…)` and
 * `self.head = nn.Linear(…)` loads the file with `load_state_dict` unchanged (docs/interop.md).
 * `part: "rnn"` (or "head") writes only the recurrent module's (or the head's) tensors under their
 * unprefixed names, which is `nn.LSTM(…).state_dict()` (`nn.Linear(…)`'s) exactly, so
 * `torch.nn.LSTM(…).load_state_dict(load_file(…))` works as it stands.
 * The config rides along in the header's `__metadata__` under "unrolled.config"; a file written by
 * PyTorch has none, so importing it needs the config from the caller.
 */
import { assertJsonDepth, type DType, FormatError } from "@unrolled/linalg";
import {
  allocateParams,
  type ModelConfig,
  type ModelParams,
  type ModelSections,
  paramSlots,
  validateConfig,
} from "@unrolled/rnn-core";
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from "./safetensors.js";

export const CONFIG_KEY = "unrolled.config";
/** The model file's other sections (preprocessing, vocabulary, …), so a round trip loses nothing. */
export const SECTIONS_KEY = "unrolled.sections";
/** Which part of the model a file holds, when not all of it. */
export const PART_KEY = "unrolled.part";

/** The whole model (`rnn.…` and `head.…` names), or one module's state_dict without its prefix. */
export type SafetensorsPart = "model" | "rnn" | "head";

export interface SafetensorsExportOptions {
  /** Element type on disk (default "F32", PyTorch's default dtype). */
  readonly dtype?: "F32" | "F64";
  /** The model file's other sections, kept in the metadata under "unrolled.sections". */
  readonly sections?: ModelSections;
  /** "model" (default), or only "rnn" / "head" with the prefix dropped. */
  readonly part?: SafetensorsPart;
}

/** The tensors a part holds, in state_dict order, named as that part's module names them (views, no copy). */
export function partTensors(p: ModelParams, part: SafetensorsPart = "model"): NamedTensor[] {
  const prefix = `${part}.`;
  return p.slots
    .filter((s) => part === "model" || s.name.startsWith(prefix))
    .map((s) => ({
      name: part === "model" ? s.name : s.name.slice(prefix.length),
      shape: s.shape,
      data: p.flat.subarray(s.offset, s.offset + s.size),
    }));
}

/** The parameters of `p` as a safetensors file, in state_dict order, with the config in the metadata. */
export function modelToSafetensors(p: ModelParams, opts: SafetensorsExportOptions = {}): Uint8Array {
  const part = opts.part ?? "model";
  return encodeSafetensors(partTensors(p, part), opts.dtype ?? "F32", {
    format: "pt",
    [CONFIG_KEY]: JSON.stringify(p.config),
    ...(part === "model" ? {} : { [PART_KEY]: part }),
    ...(opts.sections !== undefined && Object.keys(opts.sections).length > 0
      ? { [SECTIONS_KEY]: JSON.stringify(opts.sections) }
      : {}),
  });
}

const fmt = (s: readonly number[]) => `[${s.join(", ")}]`;

/** The sections stored by `modelToSafetensors` (or by `exportOnnx`), or {} when there are none. */
export function sectionsFromMetadata(text: string | undefined, where: string): ModelSections {
  if (text === undefined) return {};
  assertJsonDepth(text, `${where}: metadata`);
  try {
    const s: unknown = JSON.parse(text);
    if (typeof s === "object" && s !== null && !Array.isArray(s)) return s as ModelSections;
  } catch {
    // reported below
  }
  throw new FormatError(`${where}: metadata "${SECTIONS_KEY}" must be a JSON object`);
}

/**
 * Reads a safetensors file into a model's parameters (and the sections it carries). The config is
 * `config` when given, else the one in the file's metadata; every expected tensor must be present with
 * its exact shape, and nothing else.
 */
export function modelFromSafetensors(
  bytes: Uint8Array,
  config?: ModelConfig | unknown,
  dtype: DType = "float64",
): { params: ModelParams; sections: ModelSections } {
  const file = decodeSafetensors(bytes);
  const part = file.metadata[PART_KEY];
  if (part !== undefined)
    throw new FormatError(
      `safetensors: the file holds only the model's "${part}" part; importing needs the whole model (export without a part)`,
    );
  let c: ModelConfig;
  if (config !== undefined) c = validateConfig(config);
  else {
    const text = file.metadata[CONFIG_KEY];
    if (text === undefined)
      throw new FormatError(
        `safetensors: no "${CONFIG_KEY}" in the metadata (a file written by PyTorch); pass the model config`,
      );
    assertJsonDepth(text, `safetensors: metadata "${CONFIG_KEY}"`);
    try {
      c = validateConfig(JSON.parse(text));
    } catch (e) {
      throw new FormatError(`safetensors: metadata "${CONFIG_KEY}" is not a valid config (${(e as Error).message})`);
    }
  }
  const slots = paramSlots(c);
  const expected = new Set(slots.map((s) => s.name));
  const extra = [...file.tensors.keys()].filter((k) => !expected.has(k));
  if (extra.length > 0)
    throw new FormatError(
      `safetensors: unexpected tensor(s) ${extra.join(", ")} for this config; expected ${[...expected].join(", ")}`,
    );
  const p = allocateParams(c, dtype);
  for (const s of slots) {
    const t = file.tensors.get(s.name);
    if (t === undefined) throw new FormatError(`safetensors: missing tensor "${s.name}" ${fmt(s.shape)}`);
    if (t.shape.length !== s.shape.length || t.shape.some((d, i) => d !== s.shape[i]))
      throw new FormatError(`safetensors: tensor "${s.name}" has shape ${fmt(t.shape)}, expected ${fmt(s.shape)}`);
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new FormatError(`safetensors: tensor "${s.name}" holds ${t.data[bad]} at index ${bad}`);
    p.flat.set(t.data, s.offset);
  }
  return { params: p, sections: sectionsFromMetadata(file.metadata[SECTIONS_KEY], "safetensors") };
}
