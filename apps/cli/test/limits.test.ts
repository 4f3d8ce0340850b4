import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MAX_VALUE } from "@unrolled/datasets";
import { SAFETENSORS_MAX_HEADER } from "@unrolled/interop";
import { MAX_JSON_DEPTH } from "@unrolled/linalg";
import { LIMITS } from "@unrolled/rnn-core";
import { DIVERGENCE, LOOP_LIMITS, TRAIN_LIMITS } from "@unrolled/train";
import { describe, expect, it } from "vitest";
import { CLI_LIMITS } from "../src/limits.js";
import { cli, expectOneLineError, tempFiles } from "./helpers.js";

// Sizes a flag may ask for are bounded (shown in --help), checked before anything is allocated.
describe("limits on sizes from flags", () => {
  for (const [args, message] of [
    [
      ["gradcheck", "--hidden", "20000"],
      `'--hidden <H>' argument '20000' is invalid. expected an integer ≥ 1 and ≤ 256`,
    ],
    [["generate", "--model", "m.json", "--length", "1e9"], "expected an integer ≥ 1 and ≤ 1000000"],
    [["forecast", "--model", "m.json", "--steps", "1e9"], "expected an integer ≥ 1 and ≤ 100000"],
  ] as const) {
    it(`${args.join(" ")}: one line, at once`, () => {
      expect(expectOneLineError(cli(args))).toContain(message);
    });
  }

  it("--help states each limit", () => {
    expect(cli(["gradcheck", "--help"]).stdout).toContain("hidden units (at most 256)");
    expect(cli(["generate", "--help"]).stdout).toContain("(at most 1,000,000)");
  });

  it("a JSON file nested 20,000 levels deep is refused before anything walks it (it overflowed the stack)", () => {
    const deep = `{"config": ${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
    const dir = tempFiles({ "deep.json": deep, "x.json": deep });
    expect(expectOneLineError(cli(["predict", "--model", "deep.json", "--input", "x.json"], { cwd: dir }))).toBe(
      "unrolled: deep.json: nested 20001 levels deep, expected at most 64",
    );
  });
});

describe("docs/model-format.md's table of limits", () => {
  /** Its rows: size, read from, at most (the number, with separators and notes dropped). */
  const rows = (() => {
    const doc = readFileSync(fileURLToPath(new URL("../../../docs/model-format.md", import.meta.url)), "utf8");
    const table = doc
      .slice(doc.indexOf("## Limits"))
      .split("\n")
      .filter((l) => l.startsWith("| ") && !l.startsWith("| size"));
    return table.map((l) => {
      const [size, from, most] = l
        .split("|")
        .slice(1, 4)
        .map((c) => c.trim()) as [string, string, string];
      return { size, from, most: Number(most.split(" ")[0]?.replaceAll(",", "")) };
    });
  })();
  const limit = (size: string, from: string) => rows.find((r) => r.size.includes(size) && r.from.includes(from))?.most;

  it("states the limits the code enforces", () => {
    const expected: [string, string, number][] = [
      ["`hiddenSize`", "model config", LIMITS.size],
      ["`numLayers`", "model config", LIMITS.layers],
      ["parameters", "model config", LIMITS.params],
      ["nesting", "model files", MAX_JSON_DEPTH],
      ["`training.seqLen`", "train --seq-len", TRAIN_LIMITS.seqLen],
      ["`training.stride`", "train --stride", TRAIN_LIMITS.stride],
      ["`training.trainSequences`", "training config", TRAIN_LIMITS.trainSequences],
      ["`training.epochs`", "train --epochs", LOOP_LIMITS.epochs],
      ["`training.batchSize`", "train --batch", LOOP_LIMITS.batchSize],
      ["magnitude", "CSV", MAX_VALUE],
      ["safetensors header", "safetensors", SAFETENSORS_MAX_HEADER],
      ["`--hidden`", "`gradcheck`", CLI_LIMITS.gradcheckSize],
      ["`--layers`", "`gradcheck`", CLI_LIMITS.gradcheckLayers],
      ["`--batch`", "`gradcheck`", CLI_LIMITS.gradcheckBatch],
      ["`--steps`", "`gradcheck`", CLI_LIMITS.gradcheckSteps],
      ["coordinates", "`gradcheck`", CLI_LIMITS.gradcheckCoordinates],
      ["`--length`", "`generate`", CLI_LIMITS.generateLength],
      ["`--steps`", "`forecast`", CLI_LIMITS.forecastSteps],
    ];
    for (const [size, from, max] of expected) expect(limit(size, from), `${size} (${from})`).toBe(max);
    expect(rows).toHaveLength(expected.length); // and nothing else
  });

  it("and --help shows each flag's", () => {
    const help = (command: string) => cli([command, "--help"]).stdout.replace(/\s+/g, " ");
    for (const [command, flags] of [
      ["train", ["--seq-len", "--stride", "--hidden", "--layers", "--epochs", "--batch"]],
      ["gradcheck", ["--input-size", "--hidden", "--layers", "--output-size", "--batch", "--steps"]],
      ["generate", ["--length"]],
      ["forecast", ["--steps"]],
    ] as const) {
      const text = help(command);
      for (const flag of flags) {
        // the table's row for the flag: "`--hidden`" under `gradcheck`, or "train --hidden" in the read-from column
        const row = rows.find(
          (r) => r.from.includes(`${command} ${flag}`) || (r.size.includes(`\`${flag}\``) && r.from.includes(command)),
        );
        expect(row, `${command} ${flag} in the table`).toBeDefined();
        const max = (row?.most ?? Number.NaN).toLocaleString("en-US");
        expect(text, `${command} ${flag}`).toMatch(new RegExp(`${flag} <\\w+> (?:(?! --)[^])*?\\(at most ${max}\\)`));
      }
    }
  });

  it("train --help states when a run counts as diverged (every optimizer), with the library's factor", () => {
    expect(cli(["train", "--help"]).stdout.replace(/\s+/g, " ")).toContain(
      `validation loss grows past ${DIVERGENCE}× the untrained model's (any optimizer)`,
    );
  });

  it("gradcheck refuses a model with more coordinates than it can check, and names --sample", () => {
    expect(expectOneLineError(cli(["gradcheck", "--cell", "lstm", "--hidden", "256", "--layers", "2"]))).toMatch(
      /^unrolled: gradcheck: the model has [\d,]+ coordinates to check by finite differences, at most 100,000 are: give --sample N to check N per tensor$/,
    );
  });
});
