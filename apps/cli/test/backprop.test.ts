import { describe, expect, it } from "vitest";
import packedFixture from "../../../packages/rnn-core/src/__fixtures__/packed.json" with { type: "json" };
import rnnFixture from "../../../packages/rnn-core/src/__fixtures__/rnn.json" with { type: "json" };
import unseen from "./fixtures/unseen.json" with { type: "json" };
import { cli, cliAsync, expectOneLineError, pool, tempFiles } from "./helpers.js";

type Case = Omit<(typeof rnnFixture.cases)[number], "expected"> & {
  lengths?: number[];
  expected: Omit<(typeof rnnFixture.cases)[number]["expected"], "hiddenGradNorms"> & {
    hiddenGradNorms: number[][] | null;
  };
};

/** The case as the three files a user would hand to `unrolled backprop`. */
function filesOf(c: Case) {
  const cfg = c.model.config;
  const B = c.x.length;
  const T = (c.x[0] as unknown[]).length;
  const rows = c.target as unknown[];
  const y = cfg.returnSequences ? Array.from({ length: B }, (_, b) => rows.slice(b * T, (b + 1) * T)) : rows;
  return tempFiles({
    "model.json": c.model,
    "x.json": {
      x: c.x,
      ...(c.lengths ? { lengths: c.lengths } : {}),
      ...(c.h0 ? { h0: c.h0 } : {}),
      ...((c as { c0?: unknown }).c0 ? { c0: (c as { c0?: unknown }).c0 } : {}),
    },
    "y.json": { y },
  });
}

const flat = (v: unknown): number[] => (Array.isArray(v) ? (v.flat(3) as number[]) : [v as number]);
const maxDiff = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
};

async function agree(cases: readonly Case[], tol: number): Promise<void> {
  const results = await pool(
    cases.map((c) => () => {
      const dir = filesOf(c);
      const args = [
        "backprop",
        "--model",
        "model.json",
        "--input",
        "x.json",
        "--target",
        "y.json",
        "--loss",
        c.loss,
        "--json",
      ];
      return cliAsync(c.truncate ? [...args, "--truncate", String(c.truncate)] : args, { cwd: dir });
    }),
  );
  results.forEach((r, i) => {
    const c = cases[i] as Case;
    expect(r.stderr, c.name).toBe("");
    expect(r.code, c.name).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Math.abs(out.loss - c.expected.loss), c.name).toBeLessThanOrEqual(tol);
    expect(maxDiff(flat(out.outputs), flat(c.expected.y)), c.name).toBeLessThanOrEqual(tol);
    for (const [name, g] of Object.entries(c.expected.grads)) {
      expect(out.grads[name].shape, `${c.name} ${name}`).toEqual(
        (c.model.params as Record<string, { shape: number[] }>)[name]?.shape,
      );
      expect(maxDiff(out.grads[name].data, g as number[]), `${c.name} ${name}`).toBeLessThanOrEqual(tol);
    }
    expect(Object.keys(out.grads)).toEqual(
      Object.keys(c.expected.grads).sort(
        (a, b) => Object.keys(c.model.params).indexOf(a) - Object.keys(c.model.params).indexOf(b),
      ),
    );
    if (c.expected.hiddenGradNorms === null) return; // packed: PyTorch's modules keep no per-step hₜ
    expect(maxDiff(flat(out.hiddenGradNorms), flat(c.expected.hiddenGradNorms)), c.name).toBeLessThanOrEqual(tol);
  });
}

describe("unrolled backprop", () => {
  it("agrees with PyTorch on the rnn-core fixture cases (1e-10)", async () => {
    await agree(rnnFixture.cases as Case[], 1e-10);
  });

  it("agrees with PyTorch's pack_padded_sequence on padded inputs with lengths, every cell (1e-10)", async () => {
    await agree(packedFixture.cases as unknown as Case[], 1e-10);
  });

  it(`agrees with PyTorch on ${unseen.cases.length} random models of every configuration it was never tuned on (1e-8)`, async () => {
    expect(unseen.generator).toBe("apps/cli/test/fixtures/gen_unseen.py");
    await agree(unseen.cases as unknown as Case[], 1e-8);
  });

  it("prints a readable summary without --json", () => {
    const dir = filesOf(rnnFixture.cases[0] as Case);
    const r = cli(["backprop", "--model", "model.json", "--input", "x.json", "--target", "y.json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^loss \d/);
    expect(r.stdout).toContain("rnn.weight_hh_l0");
    expect(r.stdout).toContain("‖∂L/∂hₜ‖");
  });
});

describe("bad model, input and target files: one line on stderr, non-zero exit", () => {
  const c = rnnFixture.cases[0] as Case; // 1 layer, D=3, H=4, O=2, many-to-many, mse; B=2, T=5
  const model = c.model;
  const cases: [string, Record<string, unknown>, string[], RegExp][] = [
    [
      "a missing model file",
      {},
      ["--model", "nope.json"],
      /^unrolled: cannot read model file nope\.json: no such file$/,
    ],
    ["a model file that is not JSON", { "model.json": "{oops" }, [], /^unrolled: model\.json: not valid JSON \(/],
    [
      "an unknown format",
      { "model.json": { ...model, format: "keras" } },
      [],
      /^unrolled: model\.json: "format" is "keras", expected "unrolled\.model"$/,
    ],
    ["an unsupported version", { "model.json": { ...model, version: 7 } }, [], /unsupported version 7, expected 1/],
    [
      "a missing tensor",
      { "model.json": { ...model, params: { ...model.params, "head.bias": undefined } } },
      [],
      /missing tensor "head\.bias" \[2\]/,
    ],
    [
      "an extra tensor",
      {
        "model.json": {
          ...model,
          params: { ...model.params, "rnn.weight_ih_l1": { shape: [4, 4], data: new Array(16).fill(0) } },
        },
      },
      [],
      /unexpected tensor\(s\) rnn\.weight_ih_l1/,
    ],
    [
      "a mis-shaped tensor",
      {
        "model.json": {
          ...model,
          params: { ...model.params, "rnn.weight_hh_l0": { shape: [4, 3], data: new Array(12).fill(0) } },
        },
      },
      [],
      /tensor "rnn\.weight_hh_l0" has shape \[4, 3\], expected \[4, 4\]/,
    ],
    [
      "a null value",
      { "model.json": { ...model, params: { ...model.params, "head.bias": { shape: [2], data: [0, null] } } } },
      [],
      /value 1 is null, expected a finite number/,
    ],
    [
      "an absurd size",
      { "model.json": { ...model, config: { ...model.config, hiddenSize: 123456789 } } },
      [],
      /hiddenSize must be an integer in \[1, 1048576\]/,
    ],
    [
      "a bad nonlinearity",
      { "model.json": { ...model, config: { ...model.config, nonlinearity: "gelu" } } },
      [],
      /nonlinearity must be one of "tanh", "relu", "sigmoid", got "gelu"/,
    ],
    [
      "an input file without x",
      { "x.json": { y: [] } },
      [],
      /^unrolled: x\.json: expected a JSON object with a "x" field$/,
    ],
    [
      "ragged input",
      {
        "x.json": {
          x: [
            [
              [1, 2, 3],
              [1, 2],
            ],
          ],
        },
      },
      [],
      /^unrolled: x\.json: x\[0\]\[1\] has 2 entries, expected 3 \(D = the model's inputSize\)$/,
    ],
    ["input of the wrong width", { "x.json": { x: [[[1, 2]]] } }, [], /x\.json: x\[0\]\[0\] has 2 entries, expected 3/],
    [
      "a non-numeric input",
      { "x.json": { x: [[[1, "2", 3]]] } },
      [],
      /x\.json: x\[0\]\[0\]\[1\] is "2", expected a finite number/,
    ],
    ["a target of the wrong shape", { "y.json": { y: [[[1, 2]]] } }, [], /y\.json: y has 1 entries, expected 2 \(B\)/],
    [
      "a class index out of range",
      {
        "y.json": {
          y: [
            [0, 1, 2, 0, 0],
            [0, 0, 0, 0, 0],
          ],
        },
      },
      ["--loss", "ce"],
      /y\.json: y value 2 is 2, expected a class index in \[0, 2\)/,
    ],
    [
      "an unknown loss",
      {},
      ["--loss", "l3"],
      /^unrolled: option '--loss <kind>' argument 'l3' is invalid\. expected one of mse, mae, huber, ce, bce, got "l3" \(see --help\)$/,
    ],
    ["an unknown dtype", {}, ["--dtype", "float16"], /argument 'float16' is invalid/],
    ["a zero truncation", {}, ["--truncate", "0"], /argument '0' is invalid\. expected an integer ≥ 1/],
    [
      "an h0 of the wrong shape",
      { "x.json": { x: c.x, h0: [[[0, 0, 0, 0]]] } },
      [],
      /x\.json: h0\[0\] has 1 entries, expected 2 \(B\)/,
    ],
    ["an unknown option", {}, ["--epochs", "3"], /^unrolled: unknown option '--epochs' \(see --help\)$/],
  ];
  for (const [what, files, extra, message] of cases) {
    it(`${what}`, () => {
      const B = 2;
      const T = 5;
      const defaults = {
        "model.json": model,
        "x.json": { x: c.x },
        "y.json": { y: Array.from({ length: B }, (_, b) => (c.target as number[][]).slice(b * T, (b + 1) * T)) },
      };
      const dir = tempFiles({ ...defaults, ...files });
      const args = ["backprop", "--model", "model.json", "--input", "x.json", "--target", "y.json"];
      const r = cli([...args, ...extra], { cwd: dir });
      expect(expectOneLineError(r)).toMatch(message);
    });
  }

  it("a missing required option", () => {
    expect(expectOneLineError(cli(["backprop", "--model", "m.json"]))).toMatch(
      /required option '--input <file>' not specified/,
    );
  });
});
