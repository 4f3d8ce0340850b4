import { DataError } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { readDataset } from "./node/resolve.js";
import { PIANO_KEYS, parsePianoRolls } from "./piano-roll.js";

const DATA = process.env.UNROLLED_DATA_DIR;
const tiny = (train: unknown) => JSON.stringify({ train, valid: [[[60]]], test: [[[60], []]] });

describe("parsePianoRolls", () => {
  it("a frame is 88 keys, pitch − 21; a rest is all zeros; pieces keep their lengths", () => {
    const r = parsePianoRolls(tiny([[[21, 108], []], [[60, 64, 67]]]));
    expect(Array.from(r.train.lengths)).toEqual([2, 1]);
    expect(Array.from(r.train.offsets)).toEqual([0, 2, 3]);
    const frame = (t: number) => Array.from(r.train.keys.subarray(t * PIANO_KEYS, (t + 1) * PIANO_KEYS));
    expect(frame(0).flatMap((v, k) => (v ? [k] : []))).toEqual([0, 87]);
    expect(frame(1).every((v) => v === 0)).toBe(true);
    expect(frame(2).flatMap((v, k) => (v ? [k + 21] : []))).toEqual([60, 64, 67]);
    expect(Array.from(r.test.lengths)).toEqual([2]);
  });

  const bad: [string, string, RegExp][] = [
    ["not JSON", "{", /^f\.json: not JSON/],
    [
      "a list instead of the splits",
      "[]",
      /^f\.json: expected an object with "train", "valid" and "test", got a list of 0$/,
    ],
    ["a missing split", JSON.stringify({ train: [], valid: [] }), /^f\.json: "test" must be a list of pieces$/],
    ["an empty split", tiny([]), /^f\.json: train has no pieces, expected at least one$/],
    ["an empty piece", tiny([[]]), /^f\.json: train\[0\] must be a non-empty list of frames, got a list of 0$/],
    ["a frame that is a number", tiny([[[60], 61]]), /^f\.json: train\[0\]\[1\] must be a list of pitches, got 61$/],
    [
      "a pitch off the keyboard",
      tiny([[[60], [64, 120]]]),
      /^f\.json: train\[0\]\[1\]\[1\] is 120, expected a MIDI pitch from 21 to 108$/,
    ],
    ["a pitch that is not an integer", tiny([[[60.5]]]), /train\[0\]\[0\]\[0\] is 60\.5, expected a MIDI pitch/],
  ];
  for (const [what, text, message] of bad)
    it(`names the place of ${what}`, () => {
      expect(() => parsePianoRolls(text, "f.json")).toThrow(DataError);
      expect(() => parsePianoRolls(text, "f.json")).toThrow(message);
    });

  it.runIf(DATA)("JSB Chorales: 229 / 76 / 77 chorales of 13,807 / 4,602 / 4,725 frames, pitches 43 … 96", async () => {
    const { text } = await readDataset("jsb", { download: false });
    const r = parsePianoRolls(text);
    expect([r.train, r.valid, r.test].map((s) => [s.lengths.length, s.offsets.at(-1)])).toEqual([
      [229, 13807],
      [76, 4602],
      [77, 4725],
    ]);
    const used = new Set<number>();
    for (const s of [r.train, r.valid, r.test])
      for (const [i, v] of s.keys.entries()) if (v) used.add((i % PIANO_KEYS) + 21);
    expect([Math.min(...used), Math.max(...used)]).toEqual([43, 96]);
  });
});
