import { ConfigError, createRng, DataError, type Rng } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { isClassification, isRegression } from "../task.js";
import { Model } from "./model.js";

/** Bit strings of length 5 … 30 (no ties), labelled 1 when they hold more ones than zeros. */
function bits(rng: Rng, n: number): { xs: number[][][]; ys: number[] } {
  const [xs, ys]: [number[][][], number[]] = [[], []];
  while (xs.length < n) {
    const b = Array.from({ length: rng.int(5, 31) }, () => rng.int(0, 2));
    const ones = b.reduce((a, v) => a + v, 0);
    if (2 * ones === b.length) continue;
    xs.push(b.map((v) => [v]));
    ys.push(2 * ones > b.length ? 1 : 0);
  }
  return { xs, ys };
}

/** Running sums: per step, the sum of the inputs so far (sequences of 3 … 12 steps of 2 features). */
function sums(rng: Rng, n: number): { xs: number[][][]; ys: number[][][] } {
  const xs = Array.from({ length: n }, () =>
    Array.from({ length: rng.int(3, 13) }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]),
  );
  const ys = xs.map((seq) => {
    let s = 0;
    return seq.map(([a, b]) => {
      s += (a as number) + (b as number);
      return [s];
    });
  });
  return { xs, ys };
}

describe("Model: plain arrays in, sequences of any length", () => {
  it("classifies variable-length bit strings (more ones than zeros?) at ≥ 95 % on held-out strings; JSON round trip", async () => {
    const rng = createRng(11);
    const [train, test] = [bits(rng, 800), bits(rng, 300)];
    const model = new Model({ task: "classification", cell: "lstm", hiddenSize: 16 });
    const history = await model.fit(train.xs, train.ys, { epochs: 8, validationSplit: 0.1, seed: 0 });
    expect(history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const right = model.classify(test.xs).filter((c, i) => c === test.ys[i]).length;
    expect(right / test.ys.length).toBeGreaterThanOrEqual(0.95);
    const e = model.evaluate(test.xs, test.ys);
    expect(isClassification(e.metrics) && e.metrics.accuracy).toBe(right / test.ys.length);
    expect(isClassification(e.baselines.mean) && e.baselines.mean.accuracy).toBeLessThan(0.6); // the majority class
    const again = Model.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(again.predict(test.xs)).toEqual(model.predict(test.xs));
    expect(model.predict([[[1], [1], [0]]])[0]?.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12); // probabilities
  });

  it("regression per step: learns running sums, beats the mean baseline, in the data's units; step() streams the same", async () => {
    const rng = createRng(5);
    const [train, test] = [sums(rng, 400), sums(rng, 100)];
    const model = new Model({ task: "regression", cell: "gru", hiddenSize: 16, lr: 1e-2 });
    await model.fit(train.xs, train.ys, { epochs: 15, seed: 1 });
    const e = model.evaluate(test.xs, test.ys);
    expect(
      isRegression(e.metrics) && isRegression(e.baselines.mean) && e.metrics.rmse < 0.3 * e.baselines.mean.rmse,
    ).toBe(true);
    const steps = model.predictSteps(test.xs.slice(0, 1))[0] as number[][];
    expect(steps).toHaveLength(test.xs[0]?.length as number);
    model.resetState();
    const streamed = (test.xs[0] as number[][]).map((x) => model.step(x));
    for (const [t, row] of streamed.entries()) expect(row[0]).toBeCloseTo(steps[t]?.[0] as number, 10);
  });

  it("is seeded: the same seed gives the same weights and history, another seed another", async () => {
    const { xs, ys } = bits(createRng(3), 120);
    const run = async (seed: number) => {
      const m = new Model({ task: "classification", cell: "rnn", hiddenSize: 4 });
      return { h: await m.fit(xs, ys, { epochs: 2, seed }), p: m.predict(xs) };
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect((await run(8)).p).not.toEqual(a.p);
  });

  it("a text model trains on a string and generates from its vocabulary, reproducibly", async () => {
    const text = "the cat sat on the mat. the dog sat on the log. ".repeat(40);
    const model = new Model({ task: "text", cell: "lstm", hiddenSize: 24, seqLen: 32 });
    await model.fit(text, { epochs: 3, seed: 0 });
    const g = model.generate({ length: 60, prime: "the ", seed: 2 });
    expect(g).toHaveLength(60);
    expect([...g].every((c) => text.includes(c))).toBe(true);
    const again = Model.fromJSON(model.toJSON());
    expect(again.generate({ length: 60, prime: "the ", seed: 2 })).toBe(g);
  });

  it("an AbortSignal stops fit() at the next batch, keeping what was trained", async () => {
    const { xs, ys } = bits(createRng(4), 200);
    const ctrl = new AbortController();
    const model = new Model({ task: "classification", hiddenSize: 4, batchSize: 8 });
    const h = await model.fit(xs, ys, {
      epochs: 50,
      signal: ctrl.signal,
      onEpoch: (e) => e.epoch === 2 && ctrl.abort(),
    });
    expect(h).toHaveLength(2);
    expect(model.predict(xs.slice(0, 1))).toHaveLength(1);
  });
});

describe("Model: bad arguments are errors that name them, in the library's words", () => {
  const xs = [
    [[1, 2, 3]],
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
  ];
  const cases: [string, () => unknown, RegExp | string][] = [
    [
      "a feature count that changes",
      () =>
        new Model({ task: "regression" }).fit(
          [
            ...xs,
            [
              [1, 2, 3],
              [1, 2],
            ],
          ],
          [[1], [2], [3]],
        ),
      "xs[2][1] has 2 features, expected 3",
    ],
    [
      "NaN in xs",
      () => new Model({ task: "regression" }).fit([[[1, Number.NaN, 3]]], [[1]]),
      "xs[0][0][1] is NaN, expected a finite number",
    ],
    [
      "Infinity in ys",
      () => new Model({ task: "regression" }).fit(xs, [[1], [Number.POSITIVE_INFINITY]]),
      "ys[1][0] is Infinity, expected a finite number",
    ],
    [
      "a learning rate as a string",
      () => new Model({ task: "regression", lr: "0.01" as never }),
      'options.lr must be a number > 0, got "0.01" (a string)',
    ],
    [
      "an unknown task",
      () => new Model({ task: "ranking" as never }),
      /options\.task must be one of "regression", "classification", "multilabel", "text", got "ranking"/,
    ],
    [
      "an unknown option",
      () => new Model({ task: "regression", hidden: 3 } as never),
      /options has unknown field\(s\) hidden/,
    ],
    [
      "ys of another length",
      () => new Model({ task: "regression" }).fit(xs, [[1]]),
      /ys must be an array of 2 targets/,
    ],
    [
      "per-step ys of another length",
      () => new Model({ task: "regression" }).fit(xs, [[[1]], [[1]]]),
      "ys[1] has 1 steps, expected 2 (as xs[1])",
    ],
    [
      "a fractional class",
      () => new Model({ task: "classification" }).fit(xs, [0, 1.5]),
      "ys[1] is 1.5, expected a class index ≥ 0",
    ],
    [
      "a label that is not 0 or 1",
      () =>
        new Model({ task: "multilabel" }).fit(xs, [
          [0, 1],
          [1, 2],
        ]),
      "ys[1][1] is 2, expected 0 or 1",
    ],
    [
      "xs that are not arrays",
      () => new Model({ task: "regression" }).fit("abc", [1]),
      /xs must be a non-empty array of sequences, got "abc" \(a string\)/,
    ],
    [
      "epochs of 0",
      () => new Model({ task: "regression" }).fit(xs, [1, 2], { epochs: 0 }),
      "options.epochs must be an integer in [1, 1000000], got 0",
    ],
    [
      "predict before fit",
      () => new Model({ task: "regression" }).predict(xs),
      "the model has not been trained yet: call fit() first",
    ],
  ];
  for (const [what, call, message] of cases) {
    it(what, async () => {
      let err: unknown;
      try {
        await call();
      } catch (e) {
        err = e;
      }
      expect(ConfigError.isInstance(err) || DataError.isInstance(err), String(err)).toBe(true);
      expect((err as Error).message).toMatch(message);
    });
  }

  it("predict with another feature count names the sequence", async () => {
    const m = new Model({ task: "regression", hiddenSize: 2 });
    await m.fit(xs, [1, 2], { epochs: 1 });
    expect(() => m.predict([[[1, 2]]])).toThrow("xs[0][0] has 2 features, expected 3");
    expect(() => m.step([1, 2])).toThrow("x has 2 features, expected 3");
  });
});
