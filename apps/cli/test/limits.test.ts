import { describe, expect, it } from "vitest";
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
