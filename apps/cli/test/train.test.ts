import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, cliAsync, expectOneLineError, pool, tempFiles } from "./helpers.js";

const DATA = process.env.UNROLLED_DATA_DIR ?? "";
const quick = ["--epochs", "2", "--hidden", "4"];
const csv = (rows: string[]) => `${rows.join("\n")}\n`;
const series = csv([
  "date,a,b",
  ...Array.from(
    { length: 60 },
    (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, "0")},${Math.sin(i)},${Math.cos(i)}`,
  ),
]);

describe("unrolled train", () => {
  it("--preset sine --json prints one object with the report's fields and beats persistence", () => {
    const r = cli(["train", "--preset", "sine", "--epochs", "30", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const j = JSON.parse(r.stdout);
    for (const k of ["preset", "epochs", "seconds", "metrics", "baselines", "history", "units"])
      expect(j).toHaveProperty(k);
    expect(Object.keys(j.metrics)).toEqual(["train", "valid", "test"]);
    expect(Object.keys(j.baselines)).toEqual(["persistence", "mean", "linear"]);
    expect(Object.keys(j.metrics.valid)).toEqual(["mse", "rmse", "mae"]);
    expect(j.history[0]).toHaveProperty("trainLoss");
    expect(j.history[0]).toHaveProperty("validLoss");
    expect(j.metrics.valid.rmse).toBeLessThan(j.baselines.persistence.rmse);
  });

  it("--dropout and --init irnn (a ReLU RNN) are recorded in the model file; the same seed gives the same model", () => {
    const dir = tempFiles({});
    const args = ["train", "--preset", "sine", ...quick, "--layers", "2", "--dropout", "0.3", "--head-dropout", "0.1"];
    for (const out of ["a.json", "b.json"]) {
      const r = cli([...args, "--init", "irnn", "--out", out], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
    }
    const a = JSON.parse(readFileSync(join(dir, "a.json"), "utf8"));
    expect(a.config.dropout).toBe(0.3);
    expect(a.config.head.dropout).toBe(0.1);
    expect(a.training.initScheme).toBe("irnn");
    expect(a.config.nonlinearity).toBe("relu");
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe(readFileSync(join(dir, "b.json"), "utf8"));
  });

  it("--preset adding: the paper's result object in --json, and the ‖∂L/∂hₜ‖ heatmap in --plot", () => {
    const dir = tempFiles({});
    const r = cli(["train", "--preset", "adding", "--seq-len", "20", "--epochs", "2", "--json", "--plot", "g.svg"], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j.result)).toEqual(["solved", "sequencesSeen", "testWrong", "testTotal"]);
    expect(j.result.testTotal).toBe(2560);
    expect(j.result.sequencesSeen).toBe(j.result.solved ? j.result.sequencesSeen : 4000); // 2 epochs of 2,000
    const svg = readFileSync(join(dir, "g.svg"), "utf8");
    expect(svg).toContain("‖∂L/∂hₜ‖, first layer");
    const text = cli(["train", "--preset", "adding", "--seq-len", "20", "--epochs", "1"], { cwd: dir });
    expect(text.stdout).toMatch(/^not solved in 2,000 training sequences; \d+ of 2,560 test sequences wrong$/m);
  });

  it.runIf(DATA)("--preset jsb: nats per frame beside the baselines and both papers' rows", () => {
    const r = cli(["train", "--preset", "jsb", "--epochs", "1", "--hidden", "8"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^LSTM, test +\d+\.\d+ +\d+\.\d+%$/m);
    expect(r.stdout).toMatch(/^repeat the last step +10\.50 /m);
    expect(r.stdout).toMatch(/^label frequencies +11\.09 /m);
    expect(r.stdout).toMatch(/^GRU ~300K, test \(Bai et al\. 2018, Table 1\) +8\.430 /m);
    expect(r.stdout).toMatch(
      /^LSTM \d+\.\d+ nats\/frame: .*behind Chung et al\. 2014 \(8\.67\) and Bai et al\. 2018 \(8\.45\)\.$/m,
    );
    const j = JSON.parse(cli(["train", "--preset", "jsb", "--epochs", "1", "--hidden", "8", "--json"]).stdout);
    expect(typeof j.metrics.test.loss).toBe("number");
    expect(j.published).toHaveLength(6);
  });

  it("on a CSV: prints the table of the model beside its baselines, writes the model and a PNG plot", () => {
    const dir = tempFiles({ "s.csv": series });
    const r = cli(
      [
        "train",
        "--data",
        "s.csv",
        "--target",
        "a",
        "--seq-len",
        "5",
        "--split",
        "0.6,0.2,0.2",
        ...quick,
        "--out",
        "m/model.json",
        "--plot",
        "p.png",
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /RNN, test .*\npersistence \(last value\).*\nmean \(training\).*\nlinear \(least squares\)/,
    );
    expect(r.stdout).toContain("model written to m/model.json");
    const model = JSON.parse(readFileSync(join(dir, "m/model.json"), "utf8"));
    expect(model.format).toBe("unrolled.model");
    expect(model.preprocessing.features).toEqual(["b"]); // the date column is detected, the target left out
    expect(readFileSync(join(dir, "p.png")).subarray(1, 4).toString()).toBe("PNG");
  });

  it("the same seed gives a bit-identical model; a resumed run ends bit-identical to an uninterrupted one", async () => {
    const dir = tempFiles({});
    const args = ["train", "--preset", "sine", "--epochs", "4", "--hidden", "6"];
    const [a, b] = await pool([
      () => cliAsync([...args, "--out", "a.json"], { cwd: dir }),
      () => cliAsync([...args, "--out", "b.json"], { cwd: dir }),
    ]);
    expect(a?.code).toBe(0);
    expect(b?.code).toBe(0);
    expect(readFileSync(join(dir, "a.json"), "utf8")).toBe(readFileSync(join(dir, "b.json"), "utf8"));
    const cut = cli([...args, "--interrupt-after", "17", "--checkpoint", "c.json", "--out", "never.json"], {
      cwd: dir,
    });
    expect(cut.code).toBe(130);
    expect(cut.stderr.trimEnd().split("\n").pop()).toBe(
      "unrolled: interrupted at epoch 2, step 8 of 10; checkpoint written to c.json (continue with --resume c.json)",
    );
    expect(existsSync(join(dir, "never.json"))).toBe(false);
    const resumed = cli(["train", "--resume", "c.json", "--out", "r.json"], { cwd: dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readFileSync(join(dir, "r.json"), "utf8")).toBe(readFileSync(join(dir, "a.json"), "utf8"));
  });

  it("Ctrl-C writes a checkpoint and exits cleanly", async () => {
    const dir = tempFiles({});
    const main = new URL("../src/main.ts", import.meta.url).pathname;
    const tsx = new URL(
      "dist/loader.mjs",
      `file://${(await import("node:module")).createRequire(import.meta.url).resolve("tsx/package.json")}`,
    ).href;
    const child = spawn(
      process.execPath,
      [
        "--conditions=@unrolled/source",
        "--import",
        tsx,
        main,
        "train",
        "--preset",
        "sine",
        "--epochs",
        "100000",
        "--checkpoint",
        "ck.json",
      ],
      { cwd: dir },
    );
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
      if (stderr.includes("epoch 1/") && !child.killed) child.kill("SIGINT"); // one Ctrl-C
    });
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code).toBe(130);
    expect(stderr).toMatch(/checkpoint written to ck\.json/);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(JSON.parse(readFileSync(join(dir, "ck.json"), "utf8")).format).toBe("unrolled.checkpoint");
  });
});

describe("real CSV files: rows that are not numbers", () => {
  it("--bad-rows skip trains on the rest and the report says how many rows were dropped and cells filled", () => {
    const rows = Array.from({ length: 60 }, (_, i) => (i === 7 ? "3,oops" : i === 9 ? "4," : `${i},${i % 5}`));
    const dir = tempFiles({ "d.csv": csv(["a,b", ...rows]) });
    const r = cli(["train", "--data", "d.csv", "--target", "b", "--seq-len", "5", ...quick, "--bad-rows", "skip"], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^data: 1 row with bad or missing cells dropped; 1 missing cell filled forward$/m);
  });
});

describe("bad input to train: one line on stderr, exit ≠ 0, no output file", () => {
  const cases: [string, Record<string, string>, string[], RegExp][] = [
    [
      "a missing data file",
      {},
      ["--data", "nope.csv", "--target", "y"],
      /^unrolled: cannot read data file nope\.csv: no such file$/,
    ],
    [
      "ragged rows",
      { "d.csv": "a,b\n1,2\n3\n4,5\n" },
      ["--data", "d.csv", "--target", "b"],
      /d\.csv: row 3 has 1 fields, expected 2 \(as the header\)$/,
    ],
    [
      "a non-numeric cell",
      { "d.csv": csv(["a,b", "1,2", "x,3", "4,5"]) },
      ["--data", "d.csv", "--target", "b"],
      /d\.csv: row 3, column "a": "x" is not a number; to skip rows like it, add --bad-rows skip$/,
    ],
    [
      "an all-empty column",
      { "d.csv": csv(["a,b", "1,", "2,", "3,"]) },
      ["--data", "d.csv", "--target", "b"],
      /column "b" is empty in every row, expected numbers$/,
    ],
    [
      "an unknown column",
      { "d.csv": series },
      ["--data", "d.csv", "--target", "temp"],
      /unknown column "temp"; available: date, a, b$/,
    ],
    [
      "a seq-len longer than the data",
      { "d.csv": series },
      ["--data", "d.csv", "--target", "a", "--seq-len", "100"],
      /^unrolled: the training split has 42 rows, too few for one window of seq-len 100 \(need ≥ 100\)$/,
    ],
    [
      "a zero learning rate",
      {},
      ["--preset", "sine", "--lr", "0"],
      /^unrolled: option '--lr <rate>' argument '0' is invalid\. expected a number > 0, got "0" \(see --help\)$/,
    ],
    [
      "a negative learning rate",
      {},
      ["--preset", "sine", "--lr=-1"],
      /argument '-1' is invalid\. expected a number > 0/,
    ],
    [
      "a NaN learning rate",
      {},
      ["--preset", "sine", "--lr", "NaN"],
      /argument 'NaN' is invalid\. expected a number > 0/,
    ],
    [
      "zero hidden units",
      {},
      ["--preset", "sine", "--hidden", "0"],
      /argument '0' is invalid\. expected an integer ≥ 1/,
    ],
    ["negative epochs", {}, ["--preset", "sine", "--epochs=-3"], /argument '-3' is invalid/],
    [
      "a bad split",
      {},
      ["--preset", "weather", "--split", "0.9,0.3"],
      /--split must be fractions ≥ 0 with train > 0 and a sum ≤ 1, got 0\.9,0\.3,0$|split: fractions/,
    ],
    [
      "a dropout of 1, which would drop everything",
      {},
      ["--preset", "sine", "--dropout", "1"],
      /argument '1' is invalid\. expected a number in \[0, 1\), got "1"/,
    ],
    [
      "an unknown preset",
      {},
      ["--preset", "iris"],
      /^unrolled: unknown preset "iris"; available: sine, weather, mod3, min-temp, googl, shakespeare, airline, jsb, adding, shakespeare-lstm$/,
    ],
    ["neither a preset nor data", {}, [], /^unrolled: choose --preset NAME/],
    [
      "a split the preset does not use",
      {},
      ["--preset", "sine", "--split", "0.5,0.25,0.25"],
      /^unrolled: --split does not apply to the sine preset: its windows are fixed \(rows 0 … 149 train/,
    ],
    [
      "a junk row: the row, the column, the value and the way out",
      { "d.csv": csv(["a,b", ...Array.from({ length: 40 }, (_, i) => (i === 7 ? "3,oops" : `${i},${i % 5}`))]) },
      ["--data", "d.csv", "--target", "b"],
      /^unrolled: d\.csv: row 9, column "b": "oops" is not a number; to skip rows like it, add --bad-rows skip$/,
    ],
    [
      "--features with a preset, which chooses its own columns",
      {},
      ["--preset", "weather", "--features", "tmax,nosuch"],
      /^unrolled: --features applies to --data runs; preset weather chooses its own columns/,
    ],
  ];
  for (const [what, files, args, message] of cases) {
    it(what, () => {
      const dir = tempFiles(files);
      const r = cli(["train", ...args, ...quick, "--out", "out.json"], { cwd: dir });
      expect(expectOneLineError(r)).toMatch(message);
      expect(existsSync(join(dir, "out.json"))).toBe(false);
    });
  }

  it("a model whose input size does not match the data (--init)", () => {
    const dir = tempFiles({ "d.csv": series });
    expect(
      cli(
        [
          "train",
          "--data",
          "d.csv",
          "--target",
          "a",
          "--features",
          "a,b",
          "--seq-len",
          "5",
          ...quick,
          "--out",
          "two.json",
        ],
        { cwd: dir },
      ).code,
    ).toBe(0);
    const r = cli(
      [
        "train",
        "--data",
        "d.csv",
        "--target",
        "a",
        "--features",
        "a",
        "--seq-len",
        "5",
        ...quick,
        "--init",
        "two.json",
        "--out",
        "out.json",
      ],
      { cwd: dir },
    );
    expect(expectOneLineError(r)).toMatch(/^unrolled: --init: the model reads 2 features per step, the data has 1$/);
    expect(existsSync(join(dir, "out.json"))).toBe(false);
  });

  it.runIf(DATA)("a dataset whose checksum does not match", () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, "data"));
    const real = readFileSync(join(DATA, "airline-passengers.csv"), "utf8");
    writeFileSync(join(dir, "data", "airline-passengers.csv"), real.replace("112", "113"));
    const r = cli(["train", "--preset", "airline", ...quick, "--out", "out.json"], {
      cwd: dir,
      env: { UNROLLED_DATA_DIR: join(dir, "data") },
    });
    expect(expectOneLineError(r)).toMatch(
      /airline-passengers\.csv: sha256 is [0-9a-f]{16}…, expected 8cb51be753a718d9… for dataset "airline"/,
    );
    expect(existsSync(join(dir, "out.json"))).toBe(false);
  });

  for (const optimizer of ["adam", "rmsprop", "adagrad", "adamw", "sgd"]) {
    it(`a run that diverges (${optimizer} at a learning rate of 1e6) stops, keeps no model and says why`, () => {
      const rows = Array.from({ length: 120 }, (_, i) => `${i},${Math.sin(i / 3).toFixed(3)}`);
      const dir = tempFiles({ "d.csv": csv(["x,y", ...rows]) });
      const args = ["--data", "d.csv", "--target", "y", "--seq-len", "5", ...quick, "--optimizer", optimizer];
      const r = cli(["train", ...args, "--lr", "1e6", "--out", "out.json"], { cwd: dir });
      expect(expectOneLineError(r)).toMatch(
        /^unrolled: training stopped: the (validation loss diverged to \S+ after epoch \d+, over 10× the untrained model's \S+|loss became \S+ at epoch \d+, step \d+|(gradient|weights) became non-finite at epoch \d+, step \d+) \(a smaller learning rate, or clipping the gradient norm, may help\)/,
      );
      expect(existsSync(join(dir, "out.json"))).toBe(false);
    });
  }

  it("a bad checkpoint for --resume", () => {
    const dir = tempFiles({ "c.json": { format: "unrolled.checkpoint", version: 9 } });
    expect(expectOneLineError(cli(["train", "--resume", "c.json"], { cwd: dir }))).toMatch(
      /checkpoint: unsupported version 9, expected 2 \(a checkpoint from version 0\.1 cannot be resumed; start the run again\)$/,
    );
  });
});
