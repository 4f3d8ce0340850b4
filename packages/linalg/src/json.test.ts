import { describe, expect, it } from "vitest";
import { FormatError } from "./errors.js";
import { jsonDepth, MAX_JSON_DEPTH, parseJson } from "./json.js";

describe("parseJson", () => {
  it("measures nesting without counting brackets inside strings", () => {
    expect(jsonDepth('{"a": [1, [2, {"b": "[[[{"}]]}')).toBe(4);
    expect(jsonDepth('"\\"[["')).toBe(0);
  });

  it("refuses a file nested deeper than the limit before parsing it, naming the file", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(() => parseJson(deep, "x.json")).toThrow(
      new FormatError(`x.json: nested 100000 levels deep, expected at most ${MAX_JSON_DEPTH}`),
    );
    expect(parseJson(`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`, "x.json")).toBeInstanceOf(Array);
  });

  it("bad syntax is a FormatError that names the file", () => {
    expect(() => parseJson('{"a": ', "m.json")).toThrow(/^m\.json is not valid JSON: /);
    expect(() => parseJson('{"a": ', "m.json")).toThrow(FormatError);
  });
});
