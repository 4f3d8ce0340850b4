import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "@unrolled/linalg";
import { allocateParams, initParams, modelConfig, serializeModel } from "@unrolled/rnn-core";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { cli, expectOneLineError, tempFiles } from "./helpers.js";

const FIXTURES = new URL("../../../packages/interop/src/__fixtures__/", import.meta.url).pathname;

const lstm = modelConfig({
  cell: "lstm",
  inputSize: 3,
  hiddenSize: 8,
  numLayers: 2,
  bidirectional: true,
  returnSequences: true,
  head: { outputSize: 4, activation: "softmax" },
});
const model = serializeModel(initParams(allocateParams(lstm), { rng: createRng(5) }), { metadata: { note: "kept" } });
const rng = createRng(6);
const x = Array.from({ length: 2 }, () =>
  Array.from({ length: 7 }, () => Array.from({ length: 3 }, () => rng.normal())),
);

describe("unrolled export / import", () => {
  it("--format onnx: ONNX Runtime gives `unrolled predict`'s outputs to 1e-5", async () => {
    const dir = tempFiles({ "m.json": model, "x.json": { x } });
    const e = cli(["export", "--model", "m.json", "--format", "onnx", "--out", "m.onnx"], { cwd: dir });
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(
      /^wrote m\.onnx: ONNX opset 14, 2-layer bidirectional LSTM .* → output y \(batch, seq, O\)/,
    );
    const predicted = JSON.parse(
      cli(["predict", "--model", "m.json", "--input", "x.json", "--json"], { cwd: dir }).stdout,
    ).outputs.flat(2) as number[];
    const session = await ort.InferenceSession.create(join(dir, "m.onnx"));
    const { y } = await session.run({ x: new ort.Tensor("float32", Float32Array.from(x.flat(2)), [2, 7, 3]) });
    expect(y?.dims).toEqual([2, 7, 4]);
    const got = y?.data as Float32Array;
    expect(got.length).toBe(predicted.length);
    let worst = 0;
    for (const [i, v] of predicted.entries()) worst = Math.max(worst, Math.abs((got[i] as number) - v));
    expect(worst).toBeLessThan(1e-5);
    await session.release();
  });

  it("round trips through onnx and safetensors keep the weights (float32) and the other sections", () => {
    const dir = tempFiles({ "m.json": model });
    const run = (args: string[]) => expect(cli(args, { cwd: dir }).code).toBe(0);
    run(["export", "--model", "m.json", "--format", "onnx", "--out", "m.onnx"]);
    run(["export", "--model", "m.json", "--format", "safetensors", "--out", "m.safetensors"]);
    run(["export", "--model", "m.json", "--format", "safetensors", "--dtype", "float64", "--out", "m64.safetensors"]);
    run(["import", "--from", "m.onnx", "--out", "a.json"]);
    run(["import", "--from", "m.safetensors", "--out", "b.json"]);
    run(["import", "--from", "m64.safetensors", "--out", "c.json"]);
    const original = JSON.parse(model);
    const f32 = (v: number) => Math.fround(v);
    for (const [name, exact] of [
      ["a.json", false],
      ["b.json", false],
      ["c.json", true],
    ] as const) {
      const back = JSON.parse(readFileSync(join(dir, name), "utf8"));
      expect(back.config).toEqual(original.config);
      expect(back.metadata).toEqual({ note: "kept" });
      for (const [k, t] of Object.entries(original.params as Record<string, { data: number[] }>))
        expect(back.params[k].data).toEqual(exact ? t.data : t.data.map(f32));
    }
  });

  it("--part rnn writes nn.LSTM's own state_dict names; --part with onnx is refused", () => {
    const dir = tempFiles({ "m.json": model });
    const r = cli(
      ["export", "--model", "m.json", "--format", "safetensors", "--part", "rnn", "--out", "rnn.safetensors"],
      {
        cwd: dir,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote rnn\.safetensors: safetensors, 16 tensors \(float32\) under nn\.LSTM's own names/);
    const bytes = readFileSync(join(dir, "rnn.safetensors"));
    const n = Number(bytes.readBigUInt64LE(0));
    const names = Object.keys(JSON.parse(bytes.subarray(8, 8 + n).toString("utf8"))).filter(
      (k) => k !== "__metadata__",
    );
    expect(names.slice(0, 4)).toEqual(["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]);
    expect(
      expectOneLineError(
        cli(["export", "--model", "m.json", "--format", "onnx", "--part", "rnn", "--out", "x.onnx"], { cwd: dir }),
      ),
    ).toBe("unrolled: --part applies to safetensors only: ONNX holds the whole model");
    expect(existsSync(join(dir, "x.onnx"))).toBe(false);
  });

  it("imports a safetensors file written by PyTorch given --config (a bare config or a model file)", () => {
    const f = JSON.parse(readFileSync(join(FIXTURES, "torch-gru.json"), "utf8"));
    const dir = tempFiles({ "config.json": f.config, "x.json": { x: f.x } });
    copyFileSync(join(FIXTURES, "torch-gru.safetensors"), join(dir, "torch.safetensors"));
    const r = cli(["import", "--from", "torch.safetensors", "--config", "config.json", "--out", "m.json"], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(cli(["predict", "--model", "m.json", "--input", "x.json", "--json"], { cwd: dir }).stdout);
    const expected = f.outputs.flat(2) as number[];
    for (const [i, v] of (p.outputs.flat(2) as number[]).entries())
      expect(Math.abs(v - (expected[i] as number))).toBeLessThan(1e-12);
    // A model file works as --config too.
    expect(
      cli(["import", "--from", "torch.safetensors", "--config", "m.json", "--out", "m2.json"], { cwd: dir }).code,
    ).toBe(0);
  });

  describe("malformed files: one clear line, exit 1, nothing written", () => {
    const dir = tempFiles({ "m.json": model, "bad-config.json": { ...lstm, cell: "tree" }, "not.json": "{" });
    expect(cli(["export", "--model", "m.json", "--format", "onnx", "--out", "m.onnx"], { cwd: dir }).code).toBe(0);
    expect(
      cli(["export", "--model", "m.json", "--format", "safetensors", "--out", "m.safetensors"], { cwd: dir }).code,
    ).toBe(0);
    const bytes = readFileSync(join(dir, "m.onnx"));
    writeFileSync(join(dir, "truncated.onnx"), bytes.subarray(0, bytes.length >> 1));
    writeFileSync(join(dir, "text.onnx"), "this is not a model\n");
    writeFileSync(join(dir, "truncated.safetensors"), readFileSync(join(dir, "m.safetensors")).subarray(0, 300));
    writeFileSync(join(dir, "text.safetensors"), "not safetensors at all");
    copyFileSync(join(FIXTURES, "torch-gru.safetensors"), join(dir, "torch.safetensors"));
    const cases: [string, string[], RegExp][] = [
      ["a truncated ONNX file", ["--from", "truncated.onnx"], /truncated\.onnx: onnx: not a valid ONNX model/],
      [
        "a text file named .onnx",
        ["--from", "text.onnx"],
        /text\.onnx: onnx: (not a valid ONNX model|the model has no graph)/,
      ],
      [
        "a truncated safetensors file",
        ["--from", "truncated.safetensors"],
        /truncated\.safetensors: safetensors: .*(truncated|exceeds the file)/,
      ],
      [
        "a text file named .safetensors",
        ["--from", "text.safetensors"],
        /text\.safetensors: safetensors: header length \d+ exceeds the file/,
      ],
      ["PyTorch weights without --config", ["--from", "torch.safetensors"], /pass the model config/],
      [
        "a config that is not JSON",
        ["--from", "torch.safetensors", "--config", "not.json"],
        /config file not\.json is not valid JSON/,
      ],
      [
        "an invalid config",
        ["--from", "torch.safetensors", "--config", "bad-config.json"],
        /bad-config\.json: model config: cell must be one of "rnn", "lstm", "gru", got "tree"/,
      ],
      [
        "a config that does not fit the weights",
        ["--from", "torch.safetensors", "--config", "m.json"],
        /unexpected tensor\(s\)|missing tensor|has shape/,
      ],
      ["--config with ONNX", ["--from", "m.onnx", "--config", "m.json"], /--config applies to safetensors only/],
      ["an unknown extension", ["--from", "m.json"], /cannot tell the format of m\.json/],
      ["a missing file", ["--from", "nope.onnx"], /cannot read onnx file nope\.onnx: no such file/],
    ];
    for (const [what, args, message] of cases)
      it(what, () => {
        expect(expectOneLineError(cli(["import", ...args, "--out", "out.json"], { cwd: dir }))).toMatch(message);
        expect(existsSync(join(dir, "out.json"))).toBe(false);
      });
  });
});
