import { Model } from "@unrolled/train";
import { describe, expect, it } from "vitest";
import rnnFixture from "../../../packages/rnn-core/src/__fixtures__/rnn.json" with { type: "json" };
import { cli, expectOneLineError, tempFiles } from "./helpers.js";

describe("unrolled predict", () => {
  it("a file written by Model (scalers inside) predicts what Model.predict does, sequences of any length", async () => {
    const seqs = Array.from({ length: 60 }, (_, i) =>
      Array.from({ length: 3 + (i % 4) }, (_, t) => 10 + (i % 5) + 2 * t),
    );
    const model = new Model({ task: "regression", cell: "gru", hiddenSize: 6 });
    await model.fit(
      seqs.map((s) => s.slice(0, -1).map((v) => [v])),
      seqs.map((s) => [s.at(-1) as number]),
      { epochs: 3 },
    );
    const xs = [
      [[11], [13], [15]],
      [[12], [14]],
    ];
    const dir = tempFiles({
      "m.json": JSON.stringify(model),
      "x.json": { x: [xs[0], [...(xs[1] as number[][]), [0]]], lengths: [3, 2] },
    });
    const r = cli(["predict", "--model", "m.json", "--input", "x.json", "--json"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).outputs).toEqual(model.predict(xs));
  });

  it("prints the head's outputs in (B, T, O) for a many-to-many model, equal to PyTorch's", () => {
    const c = rnnFixture.cases[0] as (typeof rnnFixture.cases)[number];
    const dir = tempFiles({ "m.json": c.model, "x.json": { x: c.x } });
    const r = cli(["predict", "--model", "m.json", "--input", "x.json", "--json"], { cwd: dir });
    expect(r.code).toBe(0);
    const { outputs } = JSON.parse(r.stdout);
    expect(outputs.length).toBe(2);
    expect(outputs[0].length).toBe(5);
    const flat = outputs.flat(2) as number[];
    for (const [i, v] of (c.expected.y.flat() as number[]).entries())
      expect(Math.abs((flat[i] as number) - v)).toBeLessThan(1e-10);
  });

  it("applies a softmax head: every row sums to 1", () => {
    const c = rnnFixture.cases[3] as (typeof rnnFixture.cases)[number]; // many-to-one, softmax head
    const dir = tempFiles({ "m.json": c.model, "x.json": { x: c.x } });
    const { outputs } = JSON.parse(
      cli(["predict", "--model", "m.json", "--input", "x.json", "--json"], { cwd: dir }).stdout,
    );
    for (const row of outputs as number[][]) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    const human = cli(["predict", "--model", "m.json", "--input", "x.json"], { cwd: dir });
    expect(human.stdout).toMatch(/^sequence 0: /);
  });

  it("bad input gets one line", () => {
    const c = rnnFixture.cases[0] as (typeof rnnFixture.cases)[number];
    const dir = tempFiles({ "m.json": c.model, "x.json": { x: [] } });
    expect(expectOneLineError(cli(["predict", "--model", "m.json", "--input", "x.json"], { cwd: dir }))).toMatch(
      /x\.json: x is empty, expected at least one entry \(B\)/,
    );
    const both = cli(["predict", "--model", "m.json", "--input", "x.json", "--data", "s.csv"], { cwd: dir });
    expect(expectOneLineError(both)).toBe("unrolled: choose either --input X.json or --data FILE.csv, not both");
  });
});

describe("unrolled gradcheck", () => {
  it("passes on a fresh random stacked bidirectional model and prints a per-parameter report", () => {
    const r = cli(["gradcheck", "--layers", "2", "--bidirectional", "--loss", "ce", "--output-size", "3"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("rnn.weight_hh_l1_reverse");
    expect(r.stdout).toMatch(/^OK: \d+ coordinates/m);
  });

  it("checks a given model file; --json gives the report; an impossible tolerance fails with exit 1", () => {
    const c = rnnFixture.cases[1] as (typeof rnnFixture.cases)[number];
    const dir = tempFiles({ "m.json": c.model });
    const ok = JSON.parse(cli(["gradcheck", "--model", "m.json", "--json", "--many-to-one"], { cwd: dir }).stdout);
    expect(ok.ok).toBe(true);
    expect(ok.tensors.map((t: { name: string }) => t.name)).toContain("head.weight");
    const strict = cli(["gradcheck", "--model", "m.json", "--rtol", "1e-15", "--atol", "0"], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("NOT OK");
  });
});
