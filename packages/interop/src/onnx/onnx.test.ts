import { FormatError } from "@unrolled/linalg";
import { castParams } from "@unrolled/rnn-core";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { predict, randomInput, randomModel, variants } from "../__tests__/models.js";
import { exportOnnx } from "./export.js";
import { importOnnx } from "./import.js";
import { decodeModel, encodeModel } from "./proto.js";

const TOL = 1e-5;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe("exported ONNX models run in ONNX Runtime and equal unrolled predict", () => {
  variants().forEach(({ name, config }, v) => {
    it(`${name}: every (B, T) within ${TOL}`, async () => {
      const p = randomModel(config, 100 + v);
      const session = await ort.InferenceSession.create(exportOnnx(p));
      // Dynamic batch and sequence length: one exported graph serves every shape.
      for (const [B, T] of [
        [3, 6],
        [1, 1],
        [2, 11],
      ] as const) {
        const x = randomInput(B, T, config.inputSize, 7 * B + T);
        const { y } = await session.run({
          x: new ort.Tensor("float32", Float32Array.from(x), [B, T, config.inputSize]),
        });
        const O = config.head.outputSize;
        expect(y?.dims).toEqual(config.returnSequences ? [B, T, O] : [B, O]);
        expect(maxDiff(y?.data as Float32Array, predict(p, x, B, T))).toBeLessThan(TOL);
      }
      await session.release();
    });
  });
});

describe("with sequence_lens, padded sequences of different lengths run as PyTorch's packed ones", () => {
  variants().forEach(({ name, config }, v) => {
    it(`${name}: equals unrolled predict with the same lengths within ${TOL}`, async () => {
      const p = randomModel(config, 200 + v);
      const session = await ort.InferenceSession.create(exportOnnx(p, { sequenceLengths: true }));
      const [B, T, D, O] = [4, 7, config.inputSize, config.head.outputSize];
      const lengths = [3, 7, 1, 5];
      const x = randomInput(B, T, D, 11 + v);
      const { y } = await session.run({
        x: new ort.Tensor("float32", Float32Array.from(x), [B, T, D]),
        sequence_lens: new ort.Tensor("int32", Int32Array.from(lengths), [B]),
      });
      // many-to-many: past a sequence's end both give the head of zero outputs
      expect(y?.dims).toEqual(config.returnSequences ? [B, T, O] : [B, O]);
      expect(maxDiff(y?.data as Float32Array, predict(p, x, B, T, lengths))).toBeLessThan(TOL);
      expect(Array.from(importOnnx(exportOnnx(p, { sequenceLengths: true }), "float32").params.flat)).toEqual(
        Array.from(castParams(p, "float32").flat),
      );
      await session.release();
    });
  });
});

describe("importOnnx reads back what exportOnnx wrote", () => {
  variants().forEach(({ name, config }, v) => {
    it(`${name}: the same weights, rounded to float32, and the sections`, () => {
      const p = randomModel(config, 200 + v);
      const back = importOnnx(exportOnnx(p)).params;
      expect(back.config).toEqual(config);
      expect(Array.from(back.flat)).toEqual(Array.from(castParams(p, "float32").flat));
      const sections = { metadata: { name: "m" }, vocabulary: ["a", "b"] };
      expect(importOnnx(exportOnnx(p, { sections })).sections).toEqual(sections);
    });
  });
});

describe("importOnnx rejects malformed files with a FormatError saying what is wrong", () => {
  const config = variants().find((v) => v.name === "gru 1 layer, many-to-one, identity")?.config;
  if (config === undefined) throw new Error("no variant");
  const good = exportOnnx(randomModel(config, 1));
  const graphOf = (m: ReturnType<typeof decodeModel>) => {
    if (m.graph === undefined) throw new Error("no graph");
    return m.graph;
  };
  const edit = (f: (m: ReturnType<typeof decodeModel>) => void) => {
    const m = decodeModel(good);
    f(m);
    return encodeModel(m);
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ["random bytes", Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256), /not a valid ONNX model/],
    ["a truncated file", good.subarray(0, good.length >> 1), /not a valid ONNX model/],
    ["an empty file", new Uint8Array(0), /the file is empty/],
    ["a protobuf without a graph", encodeModel({ irVersion: 8, opsetImport: [] }), /no graph/],
    ["no config metadata", edit((m) => (m.metadataProps = [])), /no metadata_props "unrolled.config"/],
    [
      "a config that is not JSON",
      edit((m) => (m.metadataProps = [{ key: "unrolled.config", value: "{" }])),
      /"unrolled.config" is not a valid config/,
    ],
    [
      "a missing initializer",
      edit((m) => (graphOf(m).initializer = graphOf(m).initializer.filter((t) => t.name !== "R_l0"))),
      /missing initializer "R_l0" \[1, 15, 5\]/,
    ],
    [
      "an initializer twice (a zeroed copy first)",
      edit((m) => {
        const g = graphOf(m);
        const r = g.initializer.find((t) => t.name === "R_l0");
        if (r) g.initializer.unshift({ ...r, rawData: new Uint8Array(r.rawData?.length ?? 0) });
      }),
      /initializer "R_l0" appears 2 times, expected once/,
    ],
    [
      "wrong dims",
      edit((m) => {
        const t = graphOf(m).initializer.find((i) => i.name === "head.bias");
        if (t) t.dims = [3];
      }),
      /initializer "head.bias" has dims \[3\], expected \[2\]/,
    ],
    [
      "another operator",
      edit((m) => {
        for (const n of graphOf(m).node) if (n.opType === "GRU") n.opType = "LSTM";
      }),
      /recurrent operators \[LSTM\], config expects 1× GRU/,
    ],
    [
      "an RNN whose activation differs from the config",
      (() => {
        const rnn = variants().find((v) => v.name === "rnn 1 layer, many-to-one, identity")?.config;
        if (rnn === undefined) throw new Error("no variant");
        const m = decodeModel(exportOnnx(randomModel(rnn, 1)));
        for (const n of graphOf(m).node)
          for (const a of n.attribute ?? [])
            if (a.name === "activations") a.strings = [new TextEncoder().encode("Relu")];
        return encodeModel(m);
      })(),
      /RNN layer 0 has activations \[Relu\], config says Tanh/,
    ],
    [
      "a GRU without linear_before_reset",
      edit((m) => {
        for (const n of graphOf(m).node)
          n.attribute = (n.attribute ?? []).filter((a) => a.name !== "linear_before_reset");
      }),
      /linear_before_reset = 1/,
    ],
  ];
  for (const [what, bytes, message] of cases) {
    it(what, () => {
      let error: unknown;
      try {
        importOnnx(bytes);
      } catch (e) {
        error = e;
      }
      expect(FormatError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    });
  }
});
