import { createRng, FormatError, UnrolledError } from "@unrolled/linalg";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { modelConfig } from "../config.js";
import { initParams } from "../params/init.js";
import { allocateParams } from "../params/params.js";
import { loadModel, serializeModel, toModelFile } from "./model-file.js";

/** Generated corruptions: a few hundred in CI, 10,000 with UNROLLED_LONG_TESTS=1 (pnpm accept). */
const RUNS = process.env.UNROLLED_LONG_TESTS === "1" ? 10_000 : 400;

const config = modelConfig({
  inputSize: 2,
  hiddenSize: 3,
  numLayers: 2,
  bidirectional: true,
  head: { outputSize: 1, activation: "identity" },
});
const p = initParams(allocateParams(config), { rng: createRng(1) });
const good = () => JSON.parse(serializeModel(p, { metadata: { note: "test" } }));

describe("model file v1", () => {
  it("round-trips exactly through JSON, tensors in PyTorch state_dict order", () => {
    const text = serializeModel(p, { metadata: { note: "test" } });
    const { params, sections } = loadModel(text);
    expect(Array.from(params.flat)).toEqual(Array.from(p.flat));
    expect(params.config).toEqual(config);
    expect(sections.metadata).toEqual({ note: "test" });
    expect(Object.keys(toModelFile(p).params)[0]).toBe("rnn.weight_ih_l0");
    expect(loadModel(text, "float32").params.flat).toBeInstanceOf(Float32Array);
  });

  // biome-ignore lint/suspicious/noExplicitAny: the mutations poke at arbitrary JSON
  const bad: [string, (f: Record<string, any>) => unknown, string][] = [
    ["not JSON", () => "{nope", "model file: not valid JSON"],
    ["an array", () => [], "model file: expected a JSON object"],
    [
      "another format",
      (f) => ({ ...f, format: "keras" }),
      'model file: "format" is "keras", expected "unrolled.model"',
    ],
    ["version 2", (f) => ({ ...f, version: 2 }), "model file: unsupported version 2, expected 1"],
    ["an unknown section", (f) => ({ ...f, weights: {} }), "model file: unknown section(s) weights"],
    ["no config", (f) => ({ ...f, config: undefined }), "model file: model config: expected an object"],
    [
      "a bad config field",
      (f) => ({ ...f, config: { ...f.config, numLayers: 2.5 } }),
      "model file: model config: numLayers must be an integer in [1, 64], got 2.5",
    ],
    [
      "an absurd size",
      (f) => ({ ...f, config: { ...f.config, hiddenSize: 1e9 } }),
      "model file: model config: hiddenSize must be an integer in [1, 1048576], got 1000000000",
    ],
    [
      "too many parameters",
      (f) => ({ ...f, config: { ...f.config, hiddenSize: 100000, numLayers: 10 } }),
      "more than the limit",
    ],
    ["params missing", (f) => ({ ...f, params: null }), 'model file: "params" must be an object'],
    [
      "a missing tensor",
      (f) => ({ ...f, params: { ...f.params, "head.bias": undefined } }),
      'model file: missing tensor "head.bias" [1]',
    ],
    [
      "an extra tensor",
      (f) => ({ ...f, params: { ...f.params, "rnn.weight_ih_l2": { shape: [3, 6], data: [] } } }),
      "model file: unexpected tensor(s) rnn.weight_ih_l2",
    ],
    [
      "a mis-shaped tensor",
      (f) => ({ ...f, params: { ...f.params, "rnn.weight_hh_l1": { shape: [3, 4], data: new Array(12).fill(0) } } }),
      'model file: tensor "rnn.weight_hh_l1" has shape [3, 4], expected [3, 3]',
    ],
    [
      "too few values",
      (f) => ({ ...f, params: { ...f.params, "head.bias": { shape: [1], data: [] } } }),
      'model file: tensor "head.bias" has 0 values, expected 1',
    ],
    [
      "a string value",
      (f) => ({ ...f, params: { ...f.params, "head.bias": { shape: [1], data: ["0.1"] } } }),
      'model file: tensor "head.bias" value 0 is "0.1", expected a finite number',
    ],
    [
      "NaN",
      (f) => ({ ...f, params: { ...f.params, "head.bias": { shape: [1], data: [Number.NaN] } } }),
      "expected a finite number",
    ],
    [
      "null (JSON's NaN)",
      (f) => ({ ...f, params: { ...f.params, "head.bias": { shape: [1], data: [null] } } }),
      "value 0 is null",
    ],
    [
      "a tensor that is not an object",
      (f) => ({ ...f, params: { ...f.params, "head.bias": [0.1] } }),
      'tensor "head.bias" must be {"shape": [...], "data": [...]}',
    ],
  ];
  for (const [what, mutate, message] of bad) {
    it(`rejects ${what} with one FormatError line: ${message}`, () => {
      const input = mutate(good());
      let err: unknown;
      try {
        loadModel(input);
      } catch (e) {
        err = e;
      }
      expect(FormatError.isInstance(err), String(err)).toBe(true);
      expect((err as Error).message).toContain(message);
      expect((err as Error).message).not.toContain("\n");
    });
  }

  it("a value that overflows float32 is rejected when loading as float32", () => {
    const f = good();
    f.params["head.bias"] = { shape: [1], data: [1e300] };
    expect(() => loadModel(f, "float32")).toThrow("overflows float32");
    expect(() => loadModel(f)).not.toThrow();
  });

  it(`${RUNS} random corruptions of a model file give a loaded model or a typed error, never a crash`, () => {
    const text = serializeModel(
      allocateParams(modelConfig({ inputSize: 1, hiddenSize: 1, head: { outputSize: 1, activation: "identity" } })),
    );
    const leaves = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.integer({ min: -5, max: 1e7 }),
      fc.string(),
      fc.constant([]),
      fc.constant({}),
    );
    const mutation = fc.oneof(
      // a random edit of the text: cut, insert or replace characters
      fc
        .tuple(fc.nat(text.length), fc.nat(8), fc.string({ maxLength: 6 }))
        .map(([at, del, ins]) => text.slice(0, at) + ins + text.slice(at + del)),
      // a random value at a random path of the parsed object
      fc
        .tuple(
          fc.array(
            fc.oneof(
              fc.constantFrom(
                "format",
                "version",
                "config",
                "params",
                "head",
                "inputSize",
                "hiddenSize",
                "numLayers",
                "data",
                "shape",
                "rnn.weight_hh_l0",
                "head.bias",
                "activation",
                "cell",
              ),
              fc.nat(3),
            ),
            { minLength: 1, maxLength: 4 },
          ),
          leaves,
        )
        .map(([path, v]) => {
          const o = JSON.parse(text);
          let node = o;
          for (const key of path.slice(0, -1))
            node = node !== null && typeof node === "object" ? node[key as never] : undefined;
          if (node !== null && typeof node === "object") node[path[path.length - 1] as never] = v as never;
          return o;
        }),
    );
    fc.assert(
      fc.property(mutation, (input) => {
        try {
          const { params } = loadModel(input);
          expect(Array.from(params.flat).every(Number.isFinite)).toBe(true);
        } catch (e) {
          if (!UnrolledError.isInstance(e)) throw e;
        }
      }),
      { numRuns: RUNS },
    );
  });
});
