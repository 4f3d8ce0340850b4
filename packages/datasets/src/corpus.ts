/** A character corpus: its vocabulary (sorted distinct characters), encoding and decoding. */
import { DataError, FormatError } from "@unrolled/linalg";

export interface Vocabulary {
  readonly chars: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

/** The sorted distinct characters (code points) of `text`. */
export function buildVocabulary(text: string): Vocabulary {
  if (text.length === 0) throw new DataError("corpus: the text is empty");
  const chars = [...new Set(Array.from(text))].sort();
  return { chars, index: new Map(chars.map((c, i) => [c, i])) };
}

/** A vocabulary read back from a model file: a list of distinct single characters. */
export function vocabularyFromJson(v: unknown): Vocabulary {
  if (
    !Array.isArray(v) ||
    v.length < 2 ||
    !v.every((c) => typeof c === "string" && Array.from(c).length === 1) ||
    new Set(v).size !== v.length
  ) {
    throw new FormatError("vocabulary: expected an array of at least 2 distinct single characters");
  }
  return { chars: [...v], index: new Map(v.map((c: string, i: number) => [c, i])) };
}

/** Symbol ids of `text`; a character outside the vocabulary is a DataError naming it. */
export function encode(vocab: Vocabulary, text: string): Int32Array {
  const chars = Array.from(text);
  const out = new Int32Array(chars.length);
  chars.forEach((c, i) => {
    const id = vocab.index.get(c);
    if (id === undefined)
      throw new DataError(
        `corpus: character ${JSON.stringify(c)} at position ${i} is not in the model's vocabulary of ${vocab.chars.length}`,
      );
    out[i] = id;
  });
  return out;
}

export function decode(vocab: Vocabulary, ids: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < ids.length; i++) s += vocab.chars[ids[i] as number] ?? "";
  return s;
}
