import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, expectOneLineError, tempFiles } from "./helpers.js";

const DATA = process.env.UNROLLED_DATA_DIR ?? "";
const series = `date,v\n${Array.from({ length: 120 }, (_, i) => `2020-${String(1 + Math.floor(i / 28)).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")},${(10 + 5 * Math.sin(i / 4)).toFixed(3)}`).join("\n")}\n`;

/** A short training run on s.csv, made twice: saved with --out, and reported with --json. */
const TRAIN = "train --data s.csv --target v --seq-len 8 --epochs 15 --hidden 8 --split 0.6,0.2,0.2".split(" ");

describe("using a trained model: eval, predict --data, forecast", () => {
  const dir = tempFiles({ "s.csv": series });
  const trained = cli([...TRAIN, "--out", "m.json"], { cwd: dir });

  it("eval re-creates the splits the model was trained on and reports the same test metrics", () => {
    expect(trained.code, trained.stderr).toBe(0);
    const e = JSON.parse(
      cli(["eval", "--model", "m.json", "--data", "s.csv", "--splits", "--json"], { cwd: dir }).stdout,
    );
    const t = JSON.parse(cli([...TRAIN, "--json"], { cwd: dir }).stdout); // the same run, reported directly
    expect(e.metrics.test).toEqual(t.metrics.test);
    expect(e.baselines).toEqual(t.baselines);
    // the model file names s.csv, but only a --data on the command line is ever opened
    expect(expectOneLineError(cli(["eval", "--model", "m.json"], { cwd: dir }))).toMatch(
      /m\.json: trained on s\.csv; pass --data FILE --splits to evaluate on its splits/,
    );
  });

  it("eval --data scores every window of a new file with the model's own scalers and baselines", () => {
    const r = cli(["eval", "--model", "m.json", "--data", "s.csv"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/every window of the data/);
    expect(r.stdout).toMatch(/^RNN\s/m);
    expect(expectOneLineError(cli(["eval", "--model", "m.json", "--data", "nope.csv"], { cwd: dir }))).toMatch(
      /cannot read data file nope\.csv: no such file/,
    );
  });

  it("predict --data gives one dated prediction per window", () => {
    const j = JSON.parse(cli(["predict", "--model", "m.json", "--data", "s.csv", "--json"], { cwd: dir }).stdout);
    expect(j.predictions).toHaveLength(120 - 8);
    expect(j.predictions[0].date).toBe("2020-01-09");
    expect(Math.abs(j.predictions[0].actual - 10 - 5 * Math.sin(8 / 4))).toBeLessThan(1e-3);
  });

  it("forecast continues the series autoregressively", () => {
    const j = JSON.parse(
      cli(["forecast", "--model", "m.json", "--data", "s.csv", "--steps", "5", "--json"], { cwd: dir }).stdout,
    );
    expect(j.forecast).toHaveLength(5);
    expect(j.forecast.every((v: number) => v > 0 && v < 20)).toBe(true);
    expect(j.lastDate).toBe("2020-05-08");
    expect(expectOneLineError(cli(["forecast", "--model", "m.json", "--steps", "0"], { cwd: dir }))).toMatch(
      /argument '0' is invalid/,
    );
    expect(expectOneLineError(cli(["forecast", "--model", "m.json", "--steps", "5"], { cwd: dir }))).toMatch(
      /it was trained on s\.csv; pass --data FILE with the history to continue/,
    );
  });

  it("a model file without the training sections gets one line", () => {
    const model = JSON.parse(readFileSync(join(dir, "m.json"), "utf8"));
    delete model.preprocessing;
    const d2 = tempFiles({ "bare.json": model });
    expect(expectOneLineError(cli(["eval", "--model", "bare.json"], { cwd: d2 }))).toMatch(
      /bare\.json: "preprocessing" must be an object/,
    );
  });
});

describe("character models and the registry", () => {
  it.runIf(DATA)("generate prints plausible characters from a (tiny) Shakespeare model, reproducibly", () => {
    const dir = tempFiles({});
    const t = cli(
      [
        "train",
        "--preset",
        "shakespeare",
        "--hidden",
        "16",
        "--seq-len",
        "20",
        "--epochs",
        "1",
        "--batches-per-epoch",
        "5",
        "--out",
        "c.json",
      ],
      { cwd: dir },
    );
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/nats\/char/);
    const g = cli(["generate", "--model", "c.json", "--length", "60", "--prime", "ROMEO:", "--seed", "3"], {
      cwd: dir,
    });
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout.startsWith("ROMEO:")).toBe(true);
    expect(g.stdout.length).toBeGreaterThanOrEqual(66);
    expect(
      cli(["generate", "--model", "c.json", "--length", "60", "--prime", "ROMEO:", "--seed", "3"], { cwd: dir }).stdout,
    ).toBe(g.stdout);
    expect(expectOneLineError(cli(["generate", "--model", "c.json", "--prime", "日本"], { cwd: dir }))).toMatch(
      /character "日" at position 0 is not in the model's vocabulary of 65/,
    );
  });

  it("datasets lists the registry and the presets; info says where a file was found", () => {
    const r = cli(["datasets"]);
    expect(r.stdout).toMatch(/weather\s+clean_weather\.csv/);
    expect(r.stdout).toMatch(/shakespeare\s+shakespeare/);
    const j = JSON.parse(cli(["datasets", "info", "min-temp", "--json"]).stdout);
    expect(j.sha256).toBe("8b9de63ed6789492bf497625e7f9beb96a63d367b4b0a21754006f749fa5e5da");
    expect(expectOneLineError(cli(["datasets", "info", "iris"]))).toMatch(
      /unknown dataset "iris"; available: weather, min-temp, googl, airline, shakespeare/,
    );
  });
});

describe("--cell lstm and gru", () => {
  it("train --cell lstm sizes the LSTM to the preset RNN's parameter count; its model file says lstm, with PyTorch names", () => {
    const dir = tempFiles({});
    const r = cli(["train", "--preset", "sine", "--cell", "lstm", "--epochs", "3", "--json", "--out", "l.json"], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.modelConfig.cell).toBe("lstm");
    expect(j.notes.join("\n")).toMatch(/lstm sized to 7 hidden units: \d+ parameters, at most the preset rnn's 321/);
    const model = JSON.parse(readFileSync(join(dir, "l.json"), "utf8"));
    expect(model.params["rnn.weight_hh_l0"].shape).toEqual([28, 7]); // 4 gates × 7
    const g = cli(["gradcheck", "--model", "l.json"], { cwd: dir });
    expect(g.code, g.stdout).toBe(0);
  });

  it("an LSTM's initial cell state comes in X.json as c0; an RNN refuses one", () => {
    const dir = tempFiles({});
    cli(["train", "--preset", "sine", "--cell", "lstm", "--epochs", "1", "--hidden", "2", "--out", "l.json"], {
      cwd: dir,
    });
    cli(["train", "--preset", "sine", "--epochs", "1", "--hidden", "2", "--out", "r.json"], { cwd: dir });
    const x = { x: [[[0.1], [0.2]]], h0: [[[0, 0]]], c0: [[[0.5, -0.5]]] };
    const d2 = tempFiles({ "x.json": x });
    const withC = JSON.parse(
      cli(["predict", "--model", join(dir, "l.json"), "--input", "x.json", "--json"], { cwd: d2 }).stdout,
    );
    const d3 = tempFiles({ "x.json": { x: x.x } });
    const without = JSON.parse(
      cli(["predict", "--model", join(dir, "l.json"), "--input", "x.json", "--json"], { cwd: d3 }).stdout,
    );
    expect(withC.outputs).not.toEqual(without.outputs);
    expect(
      expectOneLineError(cli(["predict", "--model", join(dir, "r.json"), "--input", "x.json"], { cwd: d2 })),
    ).toMatch(/"c0" is the LSTM's initial cell state; this model is an RNN/);
  });
});
