import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import expected from "../model/expected.json" with { type: "json" };

// The Model examples the READMEs open with: each runs as a user's file would, prints exactly what the
// READMEs show, and both READMEs show its code verbatim. (scripts/accept/tarballs.mjs runs the same files
// in a fresh project that installed only the packed tarballs.)
const TSX = new URL("dist/loader.mjs", `file://${createRequire(import.meta.url).resolve("tsx/package.json")}`).href;
const here = new URL("..", import.meta.url).pathname;
const DATA = process.env.UNROLLED_DATA_DIR;

function run(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--conditions=@unrolled/source", "--import", TSX, file], { cwd: here });
    let [stdout, stderr] = ["", ""];
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const READMES = ["../README.md", "../packages/train/README.md"].map((f) =>
  readFileSync(new URL(f, `file://${here}`), "utf8"),
);

describe("the Model examples of the READMEs", () => {
  for (const [file, output] of Object.entries(expected)) {
    it.runIf(file !== "text.mjs" || DATA)(
      `model/${file} prints what the READMEs show, and they show its code`,
      async () => {
        const r = await run(`model/${file}`);
        expect(r.stderr).toBe("");
        expect(r.stdout).toBe(output);
        const code = readFileSync(`${here}model/${file}`, "utf8").trim();
        for (const readme of READMES) {
          expect(readme).toContain(`\`\`\`js\n${code}\n\`\`\``);
          expect(readme).toContain(`\`\`\`text\n${output.trimEnd()}\n\`\`\``);
        }
      },
    );
  }
});
