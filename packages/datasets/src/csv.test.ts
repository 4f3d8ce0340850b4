import { DataError, UnrolledError } from "@unrolled/linalg";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inspectCsv, looksLikeDates, parseCsv } from "./csv.js";
import { filterDates, numericColumns, readNumericCsv } from "./numeric.js";

describe("parseCsv / numericColumns", () => {
  it("reads LF and CRLF, quoted fields, no final newline and an unnamed first column alike", () => {
    const variants = [
      ",a,b\n2020-01-01,1,2\n2020-01-02,3,4\n",
      ',a,b\r\n"2020-01-01",1,"2"\r\n"2020-01-02",3,4',
      '"","a","b"\n2020-01-01,1.0,2e0\n\n2020-01-02,3,+4\n\n',
    ];
    for (const text of variants) {
      const t = parseCsv(text);
      expect(t.header).toEqual(["col0", "a", "b"]);
      const n = numericColumns(t, ["a", "b"], { dateColumn: "col0" });
      expect(n.columns.map((c) => Array.from(c))).toEqual([
        [1, 3],
        [2, 4],
      ]);
      expect(n.dates).toEqual(["2020-01-01", "2020-01-02"]);
      expect(looksLikeDates(t, 0)).toBe(true);
      expect(looksLikeDates(t, 1)).toBe(false);
    }
  });

  it("quoted fields may hold commas and newlines", () => {
    const t = parseCsv('name,v\n"a, b\nc",1\n');
    expect(t.rows[0]?.[0]).toBe("a, b\nc");
  });

  it("missing values: ffill as pandas, drop, or error", () => {
    const t = parseCsv("a,b\n1,\n,2\nNA,3\n4,NaN\n");
    expect(() => numericColumns(t, ["a", "b"])).toThrow(
      'row 2, column "b" is missing and there is no earlier value to fill forward',
    );
    const f = numericColumns(t, ["a"], { missing: "ffill" });
    expect(Array.from(f.columns[0] ?? [])).toEqual([1, 1, 1, 4]);
    expect(() => numericColumns(t, ["a"], { missing: "error" })).toThrow(
      'row 3, column "a" is missing, and missing cells are an error here (the "ffill" and "drop" policies handle them)',
    );
    const d2 = numericColumns(parseCsv("a,b\n1,\n2,5\n,6\n"), ["a", "b"], { missing: "drop" });
    expect(Array.from(d2.columns[0] ?? [])).toEqual([2]);
  });

  it("names what is wrong: ragged rows, non-numeric cells, empty columns, unknown and duplicate names", () => {
    expect(() => parseCsv("a,b\n1,2\n3\n")).toThrow("CSV: row 3 has 1 fields, expected 2 (as the header)");
    expect(() => numericColumns(parseCsv("a,b\n1,x2\n"), ["b"], { source: "f.csv" })).toThrow(
      'f.csv: row 2, column "b": "x2" is not a number',
    );
    expect(() => numericColumns(parseCsv("a,b\n1,\n2,\n"), ["b"])).toThrow(
      'column "b" is empty in every row, expected numbers',
    );
    expect(() => numericColumns(parseCsv("a,b\n1,2\n"), ["c"])).toThrow('unknown column "c"; available: a, b');
    expect(() => parseCsv("a,a\n1,2\n")).toThrow('column name "a" appears twice');
    expect(() => parseCsv("")).toThrow(DataError);
    expect(() => parseCsv("a,b\n")).toThrow("no data rows after the header");
    expect(() => parseCsv('a,b\n"1,2\n')).toThrow(DataError);
  });

  it("filterDates keeps [from, to)", () => {
    const n = numericColumns(parseCsv("d,v\n2020-01-01,1\n2020-02-01,2\n2020-03-01,3\n"), ["v"], { dateColumn: "d" });
    expect(Array.from(filterDates(n, "2020-02-01", "2020-03-01").columns[0] ?? [])).toEqual([2]);
    expect(() => filterDates(n, "2021-01-01", null)).toThrow("no rows between 2021-01-01 and the end");
  });
});

/** Generated cases per property: a few hundred in CI, 10,000 with UNROLLED_LONG_TESTS=1 (pnpm accept). */
const RUNS = process.env.UNROLLED_LONG_TESTS === "1" ? 5_000 : 300;

describe("bad rows, streaming and inspection", () => {
  const text = "d,a,b\n2020-01-01,1,2\n2020-01-02,x,3\n2020-01-03,,4\n2020-01-04,1e200,5\n2020-01-05,6,7\n";

  it("a cell that is not a number, or beyond ±1e150, is an error naming row, column, value and the way out", () => {
    expect(() => readNumericCsv(text, ["a", "b"], { source: "f.csv" })).toThrow(
      'f.csv: row 3, column "a": "x" is not a number; to skip rows like it, set badRows "skip"',
    );
    expect(() => readNumericCsv(text.replace(",x,", ",2,"), ["a"], { source: "f.csv" })).toThrow(
      'f.csv: row 5, column "a": "1e200" is beyond ±1e+150',
    );
  });

  it('badRows "skip" drops those rows and counts them; ffill counts the cells it fills', () => {
    const t = readNumericCsv(text, ["a", "b"], { badRows: "skip", dateColumn: "d" });
    expect(Array.from(t.columns[0] ?? [])).toEqual([1, 1, 6]);
    expect(t.dates).toEqual(["2020-01-01", "2020-01-03", "2020-01-05"]);
    expect([t.dropped, t.filled]).toEqual([2, 1]);
  });

  it("readNumericCsv streams to what numericColumns(parseCsv(…)) gives; inspectCsv finds the header, rows and date column", () => {
    const good = text.replace(",x,", ",2,").replace("1e200", "3");
    expect(readNumericCsv(good, ["a", "b"], { dateColumn: "d" })).toEqual(
      numericColumns(parseCsv(good), ["a", "b"], { dateColumn: "d" }),
    );
    expect(inspectCsv(good)).toEqual({ header: ["d", "a", "b"], rows: 5, dateColumn: "d" });
    const big = `x,y\n${Array.from({ length: 200_000 }, (_, i) => `${i},${i % 7}`).join("\n")}`;
    const seen: number[] = [];
    const t = readNumericCsv(big, ["y"], { onProgress: (f) => seen.push(f) });
    expect(t.length).toBe(200_000);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((f, i) => f > 0 && f <= 1 && (i === 0 || f > (seen[i - 1] as number)))).toBe(true);
  });
});

describe(`CSV reader under ${2 * RUNS} generated inputs`, () => {
  // Well-formed tables in many spellings must come back exactly (no wrong silent result).
  const spelled = fc
    .record({
      cols: fc.integer({ min: 1, max: 4 }),
      rows: fc.integer({ min: 1, max: 6 }),
      seed: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), {
        minLength: 24,
        maxLength: 24,
      }),
      crlf: fc.boolean(),
      finalNewline: fc.boolean(),
      quote: fc.boolean(),
    })
    .map(({ cols, rows, seed, crlf, finalNewline, quote }) => {
      const names = Array.from({ length: cols }, (_, j) => `c${j}`);
      // -0 prints as "0", the same number in a CSV: compare it as +0
      const values = Array.from({ length: rows }, (_, i) =>
        names.map((_, j) => (seed[(i * cols + j) % seed.length] as number) + 0),
      );
      const q = (s: string) => (quote ? `"${s}"` : s);
      const eol = crlf ? "\r\n" : "\n";
      const text =
        [names.map(q).join(","), ...values.map((r) => r.map((v) => q(String(v))).join(","))].join(eol) +
        (finalNewline ? eol : "");
      return { names, values, text };
    });
  // Arbitrary text, including broken quoting and ragged rows: only typed errors may come out.
  const garbage = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc
      .array(fc.constantFrom("a", "b", "1", "2.5", ",", "\n", "\r\n", '"', "", "NA", "-", "e3", " "), { maxLength: 40 })
      .map((p) => p.join("")),
  );

  it("well-formed tables (quoted or not, CRLF or LF, with or without a final newline) read back exactly", () => {
    fc.assert(
      fc.property(spelled, ({ names, values, text }) => {
        const t = numericColumns(parseCsv(text), names);
        expect(t.columns.map((c) => Array.from(c))).toEqual(names.map((_, j) => values.map((r) => r[j])));
      }),
      { numRuns: RUNS },
    );
  });

  it("arbitrary text gives a table or a typed error, never a crash", () => {
    fc.assert(
      fc.property(garbage, (text) => {
        try {
          const t = parseCsv(text);
          numericColumns(t, [t.header[0] as string], { missing: "drop" });
        } catch (e) {
          if (!UnrolledError.isInstance(e)) throw e;
        }
      }),
      { numRuns: RUNS },
    );
  });
});
