import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// A few hundred cases of the hostile-input sweep (scripts/fuzz/run.mjs; pnpm accept runs 10,000 on the
// built CLI): mutated model files, checkpoints, CSVs, X.json, ONNX and safetensors through the commands
// that read them. None may exit 70, hang, leave a temporary, or clobber an output.
const SCRIPT = fileURLToPath(new URL("../../../scripts/fuzz/run.mjs", import.meta.url));

describe("hostile inputs", () => {
  it("120 mutated files through the commands that read them: one clear line each, nothing clobbered", () => {
    // a fixed sample, so CI is reproducible; pnpm accept draws 10,000 more
    const r = spawnSync(process.execPath, [SCRIPT, "--cases", "120", "--seed", "7", "--source"], {
      encoding: "utf8",
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^fuzz: 120 cases \(seed 7\); .* 0 failed$/m);
  }, 300_000);
});
