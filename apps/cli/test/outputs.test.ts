import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, expectOneLineError, tempFiles } from "./helpers.js";

// Outputs are checked before any work, and written whole or not at all (src/io.ts).
const quick = ["train", "--preset", "sine", "--epochs", "1"];

describe("writing outputs", () => {
  it("refuses an --out that exists and is not a regular file (a directory, a pipe), before training", () => {
    const dir = tempFiles({});
    mkdirSync(join(dir, "models"));
    expect(expectOneLineError(cli([...quick, "--out", "models"], { cwd: dir }))).toBe(
      "unrolled: cannot write models: it exists and is not a regular file",
    );
    execFileSync("mkfifo", [join(dir, "pipe")]);
    expect(expectOneLineError(cli([...quick, "--out", "pipe"], { cwd: dir }))).toContain(
      "cannot write pipe: it exists and is not a regular file",
    );
  });

  it("refuses an output that is one of the inputs, and leaves the input as it was", () => {
    const csv = `y\n${Array.from({ length: 80 }, (_, i) => Math.sin(i / 3).toFixed(4)).join("\n")}\n`;
    const dir = tempFiles({ "s.csv": csv });
    const r = cli(["train", "--data", "s.csv", "--target", "y", "--epochs", "1", "--out", "s.csv"], { cwd: dir });
    expect(expectOneLineError(r)).toBe(
      "unrolled: --out s.csv is also the --data file: choose another name, so the input is not replaced",
    );
    expect(readFileSync(join(dir, "s.csv"), "utf8")).toBe(csv);
    expect(cli([...quick, "--out", "m.json"], { cwd: dir }).code).toBe(0);
    const model = readFileSync(join(dir, "m.json"), "utf8");
    expect(
      expectOneLineError(cli(["export", "--model", "m.json", "--format", "onnx", "--out", "m.json"], { cwd: dir })),
    ).toContain("--out m.json is also the --model file");
    expect(readFileSync(join(dir, "m.json"), "utf8")).toBe(model);
  });

  it("a plot that cannot be made leaves an existing --out untouched", () => {
    const dir = tempFiles({ "m.json": "old" });
    expect(expectOneLineError(cli([...quick, "--out", "m.json", "--plot", "p.jpg"], { cwd: dir }))).toContain(
      "--plot p.jpg: expected a file name ending in .svg or .png",
    );
    expect(readFileSync(join(dir, "m.json"), "utf8")).toBe("old");
  });

  it("removes the temporaries a killed run left beside its target, and leaves none of its own", () => {
    const dir = tempFiles({});
    const dead = spawnSync(process.execPath, ["-e", ""]).pid as number; // a process that has ended
    const stale = `.m.json.unrolled-tmp-${dead}-abc`;
    writeFileSync(join(dir, stale), "half a model");
    expect(cli([...quick, "--out", "m.json"], { cwd: dir }).code).toBe(0);
    expect(existsSync(join(dir, stale))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(["m.json"]);
  });

  it("a name the filesystem refuses is one line before training, and nothing is left behind", () => {
    const dir = tempFiles({});
    const long = `${"x".repeat(300)}.json`;
    expect(expectOneLineError(cli([...quick, "--out", long], { cwd: dir }))).toBe(
      `unrolled: cannot write ${long}: the name is too long`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  // a real full disk: a 16 KB tmpfs, where this machine lets the tests mount one (root on Linux)
  const small = tempFiles({});
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", small]).status === 0;
  afterAll(() => {
    if (mounted) spawnSync("umount", [small]);
  });
  it.runIf(mounted)("on a full disk: one line, exit 1, the existing file unchanged and no temporary left", () => {
    const dir = tempFiles({});
    expect(cli([...quick, "--hidden", "24", "--out", "m.json"], { cwd: dir }).code).toBe(0);
    writeFileSync(join(small, "o.onnx"), "old");
    writeFileSync(join(small, "fill"), Buffer.alloc(8192)); // one 4 KB page left, less than the export
    const r = cli(["export", "--model", join(dir, "m.json"), "--format", "onnx", "--out", join(small, "o.onnx")]);
    expect(expectOneLineError(r)).toBe(
      `unrolled: cannot write ${join(small, "o.onnx")}: the disk is full; nothing was changed`,
    );
    expect(readFileSync(join(small, "o.onnx"), "utf8")).toBe("old");
    expect(readdirSync(small).sort()).toEqual(["fill", "o.onnx"]);
  });
});
