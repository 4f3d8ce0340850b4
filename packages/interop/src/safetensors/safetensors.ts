/**
 * The safetensors container (https://huggingface.co/docs/safetensors), read and written without
 * dependencies:
 *
 *   [ N: u64 little-endian ][ header: N bytes of UTF-8 JSON ][ data: the tensors' bytes, back to back ]
 *
 * header = {"__metadata__": {str: str}?, NAME: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}}
 * with offsets relative to the data block. Tensors are little-endian and row-major. Reading checks
 * everything the format promises (offsets inside the file, sizes matching shapes, no overlaps), so a
 * truncated or hand-edited file fails here with a FormatError rather than later with wrong numbers.
 */
import { assertJsonDepth, FormatError } from "@unrolled/linalg";

/** Element types we read. Writing uses F32 or F64; F16 and BF16 (common in checkpoints) load too. */
export type SafetensorsDType = "F64" | "F32" | "F16" | "BF16";
const BYTES: Record<SafetensorsDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };

export interface NamedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** Row-major values; written as `dtype`. */
  readonly data: ArrayLike<number>;
}

export interface DecodedTensor {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** The values, widened to float64 (exact for every supported dtype). */
  readonly data: Float64Array;
}

export interface Safetensors {
  readonly tensors: ReadonlyMap<string, DecodedTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

/** The longest header (its JSON, in bytes) a safetensors file may declare, as the format's own readers; checked before it is read. */
export const MAX_HEADER = 100_000_000;

/** Writes `tensors` in order as one safetensors file. The header is padded with spaces to 8 bytes. */
export function encodeSafetensors(
  tensors: readonly NamedTensor[],
  dtype: "F32" | "F64" = "F32",
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const size = BYTES[dtype];
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length)
      throw new FormatError(
        `safetensors: tensor "${t.name}" has ${t.data.length} values, shape [${t.shape}] needs ${n}`,
      );
    header[t.name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + n * size] };
    offset += n * size;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((new TextEncoder().encode(json).length + 8) % 8)) % 8); // data starts 8-aligned
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, at += size) {
      if (dtype === "F32") view.setFloat32(at, t.data[i] as number, true);
      else view.setFloat64(at, t.data[i] as number, true);
    }
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** IEEE half precision → number (exact). */
function f16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function readValues(view: DataView, at: number, n: number, dtype: SafetensorsDType): Float64Array {
  const out = new Float64Array(n);
  const scratch = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < n; i++) {
    if (dtype === "F64") out[i] = view.getFloat64(at + 8 * i, true);
    else if (dtype === "F32") out[i] = view.getFloat32(at + 4 * i, true);
    else if (dtype === "F16") out[i] = f16(view.getUint16(at + 2 * i, true));
    else {
      scratch.setUint32(0, view.getUint16(at + 2 * i, true) << 16); // bfloat16 = the top half of a float32
      out[i] = scratch.getFloat32(0);
    }
  }
  return out;
}

/** Parses and validates a safetensors file. Every problem is a FormatError saying what and where. */
export function decodeSafetensors(bytes: Uint8Array): Safetensors {
  if (bytes.length < 8)
    throw new FormatError(`safetensors: file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER, bytes.length - 8)))
    throw new FormatError(
      `safetensors: header length ${n} exceeds the file (${bytes.length - 8} bytes after the length); not a safetensors file or truncated`,
    );
  const headerEnd = 8 + Number(n);
  let header: unknown;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, headerEnd));
    assertJsonDepth(text, "safetensors: header");
    header = JSON.parse(text);
  } catch (e) {
    throw new FormatError(`safetensors: header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (!isObject(header)) throw new FormatError("safetensors: header must be a JSON object");
  const dataLength = bytes.length - headerEnd;
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, DecodedTensor>();
  const spans: [number, number, string][] = [];
  for (const [name, t] of Object.entries(header)) {
    if (name === "__metadata__") {
      if (!isObject(t) || Object.values(t).some((v) => typeof v !== "string"))
        throw new FormatError('safetensors: "__metadata__" must map strings to strings');
      Object.assign(metadata, t);
      continue;
    }
    const where = `safetensors: tensor "${name}"`;
    if (!isObject(t)) throw new FormatError(`${where} must be {"dtype", "shape", "data_offsets"}`);
    const dtype = t.dtype as SafetensorsDType;
    if (typeof t.dtype !== "string" || !(t.dtype in BYTES))
      throw new FormatError(`${where} has dtype ${JSON.stringify(t.dtype)}, expected one of F64, F32, F16, BF16`);
    const shape = t.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0))
      throw new FormatError(`${where}: "shape" must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
    const offsets = t.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    )
      throw new FormatError(
        `${where}: "data_offsets" must be [begin, end] with 0 ≤ begin ≤ end, got ${JSON.stringify(offsets)}`,
      );
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * BYTES[dtype])
      throw new FormatError(
        `${where}: shape [${shape}] of ${dtype} needs ${count * BYTES[dtype]} bytes, data_offsets span ${end - begin}`,
      );
    if (end > dataLength)
      throw new FormatError(`${where} ends at byte ${end} of a ${dataLength}-byte data block; the file is truncated`);
    spans.push([begin, end, name]);
    tensors.set(name, { dtype, shape: shape as number[], data: readValues(view, headerEnd + begin, count, dtype) });
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    const [prev, cur] = [spans[i - 1], spans[i]] as [[number, number, string], [number, number, string]];
    if (cur[0] < prev[1]) throw new FormatError(`safetensors: tensors "${prev[2]}" and "${cur[2]}" overlap`);
  }
  return { tensors, metadata };
}
