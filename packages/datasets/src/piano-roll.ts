/**
 * Polyphonic music as piano rolls: the JSB Chorales file of Boulanger-Lewandowski et al. (2012), as
 * czhuang/JSB-Chorales-dataset publishes it — `{"train": [...], "valid": [...], "test": [...]}`, each a
 * list of pieces, each a list of frames, each a list of the MIDI pitches sounding (a rest is `[]`).
 * A frame becomes 88 zeros and ones, key k = pitch − 21 (A0 … C8).
 */
import { DataError, jsonDepth, MAX_JSON_DEPTH } from "@unrolled/linalg";

export const PIANO_KEYS = 88;
export const LOWEST_PITCH = 21;

/** Pieces of different lengths, their frames stacked: piece i is frames offsets[i] … offsets[i+1]. */
export interface PianoRolls {
  /** (N) frames per piece. */
  readonly lengths: Int32Array;
  /** (N + 1) the first frame of each piece in `keys`, then the total. */
  readonly offsets: Int32Array;
  /** (Σ lengths, 88) 1 where the key sounds, row-major. */
  readonly keys: Uint8Array;
}

export type PianoRollSplits = Readonly<Record<"train" | "valid" | "test", PianoRolls>>;

const SPLITS = ["train", "valid", "test"] as const;

/** The three splits of a piano-roll JSON file; every problem names its position (`train[3][7][2]`). */
export function parsePianoRolls(text: string, source = "piano-roll JSON"): PianoRollSplits {
  let json: unknown;
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    throw new DataError(
      `${source}: nested deeper than ${MAX_JSON_DEPTH} levels, expected 4 (splits, pieces, frames, notes)`,
    );
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DataError(`${source}: not JSON (${(e as Error).message})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new DataError(`${source}: expected an object with "train", "valid" and "test", got ${kindOf(json)}`);
  const o = json as Record<string, unknown>;
  const missing = SPLITS.filter((s) => !Array.isArray(o[s]));
  if (missing.length > 0) throw new DataError(`${source}: "${missing[0]}" must be a list of pieces`);
  const [train, valid, test] = SPLITS.map((s) => rollsOf(o[s] as unknown[], `${source}: ${s}`));
  return { train: train as PianoRolls, valid: valid as PianoRolls, test: test as PianoRolls };
}

function rollsOf(pieces: unknown[], where: string): PianoRolls {
  if (pieces.length === 0) throw new DataError(`${where} has no pieces, expected at least one`);
  const lengths = new Int32Array(pieces.length);
  pieces.forEach((piece, i) => {
    if (!Array.isArray(piece) || piece.length === 0)
      throw new DataError(`${where}[${i}] must be a non-empty list of frames, got ${kindOf(piece)}`);
    lengths[i] = piece.length;
  });
  const offsets = new Int32Array(pieces.length + 1);
  for (let i = 0; i < pieces.length; i++) offsets[i + 1] = (offsets[i] as number) + (lengths[i] as number);
  const keys = new Uint8Array((offsets[pieces.length] as number) * PIANO_KEYS);
  pieces.forEach((piece, i) => {
    (piece as unknown[]).forEach((frame, t) => {
      if (!Array.isArray(frame))
        throw new DataError(`${where}[${i}][${t}] must be a list of pitches, got ${kindOf(frame)}`);
      const row = ((offsets[i] as number) + t) * PIANO_KEYS;
      frame.forEach((pitch, j) => {
        const k = (pitch as number) - LOWEST_PITCH;
        if (!Number.isInteger(pitch) || k < 0 || k >= PIANO_KEYS)
          throw new DataError(
            `${where}[${i}][${t}][${j}] is ${JSON.stringify(pitch)}, expected a MIDI pitch from ${LOWEST_PITCH} to ${LOWEST_PITCH + PIANO_KEYS - 1}`,
          );
        keys[row + k] = 1;
      });
    });
  });
  return { lengths, offsets, keys };
}

const kindOf = (v: unknown): string =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? `a list of ${v.length}`
      : typeof v === "object"
        ? "an object"
        : JSON.stringify(v);
