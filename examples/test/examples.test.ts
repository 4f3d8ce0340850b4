import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Each tutorial's script runs end to end (one epoch per run, so CI stays fast; the full runs' numbers are
// in examples/README.md), prints its table beside the baselines, and saves its model.
const TSX = new URL("dist/loader.mjs", `file://${createRequire(import.meta.url).resolve("tsx/package.json")}`).href;

function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--conditions=@unrolled/source", "--import", TSX, ...args], {
      cwd: new URL("..", import.meta.url).pathname,
    });
    let [stdout, stderr] = ["", ""];
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe("examples/: one runnable script per tutorial", () => {
  for (const [name, expected] of [
    ["weather", /weather: tomorrow's tmax — test split, °F\n {2}the tutorial's setup.*RMSE [\d.]+ {2}MSE [\d.]+\n/],
    [
      "mod3",
      /mod3: \(x \+ 1\) mod 3 at every step — test split[\s\S]*baseline: current → next symbol table \(bigram\)[^\n]*accuracy[\s\S]*\npredicted {4}[0-2]( [0-2]){9}\n/,
    ],
    [
      "min-temp",
      /min-temp: tomorrow's minimum, °C — test split[\s\S]*init orthogonal[\s\S]*least squares on the window/,
    ],
    [
      "sine",
      /sine: the next value of sin\(t\) — valid split[\s\S]*truncated BPTT k=5[\s\S]*30-step forecast from t = 200: max \|error\| [\d.]+/,
    ],
    ["googl", /googl: tomorrow's opening price, \$ — test split[\s\S]*defaults: test RMSE = [\d.]+ × persistence's/],
    [
      "adding",
      /adding problem, T = 100[\s\S]*LSTM, 16 units, chrono init +(solved after|not solved in) [\d,]+ training sequences; \d+ of 2560 test sequences wrong[\s\S]*IRNN, 33 units, lr 1e-3 +(solved|not solved)/,
    ],
    [
      "jsb",
      /jsb: the next frame[\s\S]*LSTM +220 units, 292,248 parameters: [\d.]+ +\(Chung et al\. 2014 8\.67, Bai et al\. 2018 8\.45\)\n {2}baseline: repeat the last frame +10\.503/,
    ],
  ] as const) {
    it(`${name}.ts trains, prints its table beside the baselines, and saves ${name}.json and ${name}.onnx`, async () => {
      const out = mkdtempSync(join(tmpdir(), "unrolled-examples-"));
      const r = await run([`${name}.ts`, "--epochs", "1", "--out", out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(expected);
      expect(existsSync(join(out, `${name}.json`)) && existsSync(join(out, `${name}.onnx`))).toBe(true);
    }, 120_000);
  }

  it("a bad flag is one clear line and exit 2", async () => {
    const r = await run(["sine.ts", "--epochs", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("--epochs must be an integer ≥ 1, got 0");
  });
});
