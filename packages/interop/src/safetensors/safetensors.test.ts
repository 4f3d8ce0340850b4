import { readFileSync } from "node:fs";
import { FormatError } from "@unrolled/linalg";
import { castParams } from "@unrolled/rnn-core";
import { describe, expect, it } from "vitest";
import gru from "../__fixtures__/torch-gru.json" with { type: "json" };
import lstm from "../__fixtures__/torch-lstm.json" with { type: "json" };
import rnn from "../__fixtures__/torch-rnn.json" with { type: "json" };
import { predict, randomModel, variants } from "../__tests__/models.js";
import { modelFromSafetensors, modelToSafetensors } from "./model.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../__fixtures__/${name}.safetensors`, import.meta.url)));

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    expect(FormatError.isInstance(e), String(e)).toBe(true);
    return e as Error;
  }
  throw new Error("expected a FormatError");
}

describe("safetensors files written by PyTorch load here and give PyTorch's outputs", () => {
  for (const [name, f] of [
    ["torch-lstm", lstm],
    ["torch-gru", gru],
    ["torch-rnn", rnn],
  ] as const) {
    it(`${name} (${f.config.cell}, ${f.config.numLayers} layer(s), bidirectional=${f.config.bidirectional}) to 1e-12`, () => {
      expect(f.generator).toBe("packages/interop/src/__fixtures__/gen_safetensors.py");
      const p = modelFromSafetensors(fixture(name), f.config).params;
      const x = Float64Array.from((f.x as number[][][]).flat(2));
      const [B, T] = [f.x.length, (f.x[0] as number[][]).length];
      const y = predict(p, x, B, T);
      const expected = (f.outputs as unknown[]).flat(2) as number[];
      expect(y.length).toBe(expected.length);
      let worst = 0;
      for (const [i, v] of expected.entries()) worst = Math.max(worst, Math.abs((y[i] as number) - v));
      expect(worst).toBeLessThan(1e-12);
    });
  }

  it("a PyTorch file has no config in its metadata, so the config is required", () => {
    expect(thrown(() => modelFromSafetensors(fixture("torch-gru"))).message).toMatch(
      /no "unrolled.config" in the metadata \(a file written by PyTorch\); pass the model config/,
    );
  });
});

describe("modelToSafetensors → modelFromSafetensors", () => {
  variants().forEach(({ name, config }, v) => {
    it(`${name}: F64 is exact, F32 rounds to float32, config and sections travel in the metadata`, () => {
      const p = randomModel(config, 300 + v);
      const sections = { preprocessing: { scaler: "standard" } };
      const exact = modelFromSafetensors(modelToSafetensors(p, { dtype: "F64", sections }));
      expect(Array.from(exact.params.flat)).toEqual(Array.from(p.flat));
      expect(exact.sections).toEqual(sections);
      const back = modelFromSafetensors(modelToSafetensors(p)).params;
      expect(back.config).toEqual(config);
      expect(Array.from(back.flat)).toEqual(Array.from(castParams(p, "float32").flat));
    });
  });

  it("the header names are PyTorch's state_dict names, in order, and the data starts 8-byte aligned", () => {
    const p = randomModel(variant("lstm 1 layer, many-to-one, identity"), 1);
    const bytes = modelToSafetensors(p);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(Object.keys(header)).toEqual(["__metadata__", ...p.slots.map((s) => s.name)]);
    expect(header["rnn.weight_ih_l0"]).toEqual({ dtype: "F32", shape: [20, 3], data_offsets: [0, 240] });
  });
});

describe("part: one module's state_dict, as nn.LSTM / nn.Linear name it", () => {
  it("rnn and head parts drop their prefix, keep their order, and do not import as a model", () => {
    const p = randomModel(variant("lstm 2 layers bidirectional, many-to-many, no bias"), 3);
    const rnn = decodeSafetensors(modelToSafetensors(p, { part: "rnn" }));
    expect([...rnn.tensors.keys()]).toEqual([
      "weight_ih_l0",
      "weight_hh_l0",
      "weight_ih_l0_reverse",
      "weight_hh_l0_reverse",
      "weight_ih_l1",
      "weight_hh_l1",
      "weight_ih_l1_reverse",
      "weight_hh_l1_reverse",
    ]);
    expect(rnn.metadata["unrolled.part"]).toBe("rnn");
    const head = decodeSafetensors(modelToSafetensors(p, { part: "head" }));
    expect([...head.tensors.keys()]).toEqual(["weight", "bias"]);
    expect(Array.from(head.tensors.get("weight")?.data ?? [])).toEqual(
      Array.from(castParams(p, "float32").head.W_hy.data),
    );
    expect(thrown(() => modelFromSafetensors(modelToSafetensors(p, { part: "rnn" }))).message).toMatch(
      /holds only the model's "rnn" part; importing needs the whole model/,
    );
  });
});

function variant(name: string) {
  const v = variants().find((v) => v.name === name);
  if (v === undefined) throw new Error(`no variant ${name}`);
  return v.config;
}
const config0 = () => variant("rnn 1 layer, many-to-one, identity");

describe("decodeSafetensors reads F16 and BF16 and rejects malformed files with a clear FormatError", () => {
  it("F16 and BF16 values widen exactly", () => {
    const header = JSON.stringify({
      h: { dtype: "F16", shape: [3], data_offsets: [0, 6] },
      b: { dtype: "BF16", shape: [2], data_offsets: [6, 10] },
    });
    const head = new TextEncoder().encode(header);
    const bytes = new Uint8Array(8 + head.length + 10);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(head.length), true);
    bytes.set(head, 8);
    const at = 8 + head.length;
    for (const [i, b] of [0x3c00, 0xc000, 0x0001].entries()) view.setUint16(at + 2 * i, b, true); // 1, −2, 2⁻²⁴
    for (const [i, b] of [0x3f80, 0x4049].entries()) view.setUint16(at + 6 + 2 * i, b, true); // 1, 3.140625
    const f = decodeSafetensors(bytes);
    expect(Array.from(f.tensors.get("h")?.data ?? [])).toEqual([1, -2, 2 ** -24]);
    expect(Array.from(f.tensors.get("b")?.data ?? [])).toEqual([1, 3.140625]);
  });

  const good = encodeSafetensors([{ name: "w", shape: [2, 2], data: [1, 2, 3, 4] }]);
  const withHeader = (h: unknown, dataBytes = 16) => {
    const head = new TextEncoder().encode(JSON.stringify(h));
    const out = new Uint8Array(8 + head.length + dataBytes);
    new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
    out.set(head, 8);
    return out;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ["a file shorter than 8 bytes", new Uint8Array(3), /3 bytes, too short/],
    ["a header length beyond the file", good.subarray(0, 20), /exceeds the file/],
    ["a header that is not JSON", withHeader("x").fill(0x7b, 8, 11), /not valid UTF-8 JSON/],
    ["a header that is a list", withHeader([1]), /must be a JSON object/],
    [
      "an unknown dtype",
      withHeader({ w: { dtype: "I64", shape: [2], data_offsets: [0, 16] } }),
      /dtype "I64", expected one of/,
    ],
    ["a negative dim", withHeader({ w: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }), /non-negative integers/],
    [
      "offsets that disagree with the shape",
      withHeader({ w: { dtype: "F32", shape: [3], data_offsets: [0, 16] } }),
      /needs 12 bytes, data_offsets span 16/,
    ],
    [
      "a truncated data block",
      withHeader({ w: { dtype: "F64", shape: [4], data_offsets: [0, 32] } }),
      /ends at byte 32 of a 16-byte data block; the file is truncated/,
    ],
    [
      "overlapping tensors",
      withHeader({
        a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
        b: { dtype: "F32", shape: [2], data_offsets: [4, 12] },
      }),
      /"a" and "b" overlap/,
    ],
    ["bad metadata", withHeader({ __metadata__: { n: 1 } }), /must map strings to strings/],
  ];
  for (const [what, bytes, message] of cases)
    it(what, () => expect(thrown(() => decodeSafetensors(bytes)).message).toMatch(message));

  it("a model file with a missing, extra or mis-shaped tensor, or a NaN, names it", () => {
    const p = randomModel(config0(), 2);
    const tensors = p.slots.map((s) => ({
      name: s.name,
      shape: s.shape,
      data: p.flat.subarray(s.offset, s.offset + s.size),
    }));
    const c = p.config;
    expect(thrown(() => modelFromSafetensors(encodeSafetensors(tensors.slice(1)), c)).message).toMatch(
      /missing tensor "rnn.weight_ih_l0" \[5, 3\]/,
    );
    expect(
      thrown(() => modelFromSafetensors(encodeSafetensors([...tensors, { name: "x", shape: [1], data: [0] }]), c))
        .message,
    ).toMatch(/unexpected tensor\(s\) x for this config/);
    const bent = tensors.map((t, i) => (i === 0 ? { ...t, shape: [3, 5] } : t));
    expect(thrown(() => modelFromSafetensors(encodeSafetensors(bent), c)).message).toMatch(
      /"rnn.weight_ih_l0" has shape \[3, 5\], expected \[5, 3\]/,
    );
    const nan = tensors.map((t, i) => (i === 1 ? { ...t, data: Float64Array.from(t.data).fill(Number.NaN, 2, 3) } : t));
    expect(thrown(() => modelFromSafetensors(encodeSafetensors(nan), c)).message).toMatch(
      /"rnn.weight_hh_l0" holds NaN at index 2/,
    );
  });
});
