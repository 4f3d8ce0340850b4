import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, createRng, DataError, FormatError } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { buildVocabulary, decode, encode, vocabularyFromJson } from "./corpus.js";
import { parseCsv } from "./csv.js";
import { addingSequence, modularSequences, oneHot, randomWalk, sineSeries } from "./generators.js";
import { readDataset, resolveDataset, sha256 } from "./node/resolve.js";
import { filterDates, numericColumns } from "./numeric.js";
import { parsePianoRolls } from "./piano-roll.js";
import { DATASETS } from "./registry.js";
import { fitScaler, inverseValue, scalerFromJson, transform } from "./scaler.js";
import { chronologicalSplits, parseSplit } from "./split.js";
import { assertWindows, makeWindows } from "./windows.js";

const DATA = process.env.UNROLLED_DATA_DIR;

describe("the real datasets (UNROLLED_DATA_DIR)", () => {
  it.runIf(DATA)("every registry file is found, verified and parses with its documented rows and columns", async () => {
    for (const info of DATASETS) {
      const { text, resolved } = await readDataset(info.name, { download: false });
      expect(resolved.source).toBe("UNROLLED_DATA_DIR");
      if (info.kind === "text") {
        expect(text.length).toBe(info.bytes);
        continue;
      }
      if (info.kind === "piano-roll") {
        const rolls = parsePianoRolls(text, info.file);
        const frames = Object.values(rolls).reduce((n, r) => n + (r.offsets.at(-1) ?? 0), 0);
        expect(frames).toBe(info.rows);
        continue;
      }
      const t = parseCsv(text, info.file);
      expect(t.header).toEqual(info.columns);
      expect(t.rows.length).toBe(info.rows);
    }
  });

  it.runIf(DATA)(
    "weather: forward fill fills all 317 gaps; the tutorial split is 9,456 / 2,026 / 2,027 rows",
    async () => {
      const { text } = await readDataset("weather", { download: false });
      const t = parseCsv(text);
      const n = numericColumns(t, ["tmax", "tmin", "rain", "tmax_tomorrow"], { dateColumn: "col0" });
      expect(n.columns.every((c) => c.every(Number.isFinite))).toBe(true);
      const s = chronologicalSplits(n.length, [0.7, 0.15, 0.15]);
      expect([s.train.end, s.valid.end - s.valid.start, s.test.end - s.test.start]).toEqual([9456, 2026, 2027]);
      expect(n.dates?.[s.train.end - 1]).toBe("2011-10-21");
    },
  );

  it.runIf(DATA)(
    "GOOGL: 756 rows from 2020-04-01 to 2023-03-31; ceil split 605/151; 50-step windows give 555 and 101",
    async () => {
      const { text } = await readDataset("googl", { download: false });
      const all = numericColumns(parseCsv(text), ["Open"], { dateColumn: "Date" });
      const g = filterDates(all, "2020-04-01", "2023-04-01");
      expect(g.length).toBe(756);
      expect(g.columns[0]?.[0]).toBe(56.200001);
      const s = chronologicalSplits(g.length, [0.8, 0, 0.2], "ceil");
      expect(s.train.end).toBe(605);
      const opts = { seqLen: 50, mode: "many-to-one", horizon: 1 } as const;
      expect(makeWindows(g.columns, g.columns, s.train, opts).x.dims[0]).toBe(555);
      expect(makeWindows(g.columns, g.columns, s.test, opts).x.dims[0]).toBe(101);
    },
  );
});

describe("resolveDataset", () => {
  const dir = mkdtempSync(join(tmpdir(), "unrolled-ds-"));
  const airline = DATASETS.find((d) => d.name === "airline");
  const fakeBytes = new TextEncoder().encode('"Month","Passengers"\r\n"1949-01",112');

  it("rejects a file whose sha256 does not match, naming both checksums", async () => {
    writeFileSync(join(dir, "airline-passengers.csv"), fakeBytes);
    await expect(resolveDataset("airline", { dataDir: dir, download: false })).rejects.toThrow(
      /sha256 is [0-9a-f]{16}…, expected 8cb51be753a718d9… for dataset "airline"/,
    );
  });

  it("downloads into the cache only when the checksum is right (injected fetch, no network)", async () => {
    const cacheDir = join(dir, "cache");
    const bad = async () => ({ ok: true, status: 200, arrayBuffer: async () => fakeBytes.buffer as ArrayBuffer });
    await expect(resolveDataset("airline", { dataDir: join(dir, "none"), cacheDir, fetch: bad })).rejects.toThrow(
      /download's sha256 .* not saved/,
    );
    const down = async () => ({ ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) });
    await expect(resolveDataset("airline", { dataDir: join(dir, "none"), cacheDir, fetch: down })).rejects.toThrow(
      /download from https:\/\/raw.githubusercontent.com\/.* failed \(HTTP 404\)/,
    );
    if (DATA && airline) {
      const { readFileSync } = await import("node:fs");
      const real = readFileSync(join(DATA, airline.file));
      const good = async () => ({
        ok: true,
        status: 200,
        arrayBuffer: async () => real.buffer.slice(real.byteOffset, real.byteOffset + real.length) as ArrayBuffer,
      });
      const r = await resolveDataset("airline", { dataDir: join(dir, "none"), cacheDir, fetch: good });
      expect(r.source).toBe("download");
      expect((await resolveDataset("airline", { dataDir: join(dir, "none"), cacheDir, download: false })).source).toBe(
        "cache",
      );
      expect(sha256(real)).toBe(airline.sha256);
    }
  });

  it("unknown names, missing explicit paths and disabled downloads are DataErrors", async () => {
    await expect(resolveDataset("iris")).rejects.toThrow(
      'unknown dataset "iris"; available: weather, min-temp, googl, airline, shakespeare',
    );
    await expect(resolveDataset("airline", { path: join(dir, "nope.csv") })).rejects.toThrow("no such file");
    await expect(
      resolveDataset("airline", { dataDir: join(dir, "none"), cacheDir: join(dir, "empty"), download: false }),
    ).rejects.toThrow(DataError);
  });
});

describe("scalers, splits, windows", () => {
  it("standard and min-max scalers fit on the training rows only and invert exactly", () => {
    const col = Float64Array.of(1, 2, 3, 100);
    const st = fitScaler("standard", [col], 3);
    expect(st.shift[0]).toBe(2);
    expect(st.scale[0]).toBeCloseTo(Math.sqrt(2 / 3), 15);
    const mm = fitScaler("minmax", [col], 3);
    expect(Array.from(transform(mm, [col])[0] ?? [])).toEqual([0, 0.5, 1, 49.5]);
    expect(inverseValue(mm, 0, 49.5)).toBe(100);
    expect(fitScaler("standard", [Float64Array.of(5, 5)], 2).scale[0]).toBe(1);
    expect(scalerFromJson(JSON.parse(JSON.stringify(st)), 1)).toEqual(st);
    expect(() => scalerFromJson({ kind: "standard", shift: [0], scale: [0] }, 1)).toThrow(FormatError);
    expect(() => fitScaler("robust" as never, [col], 3)).toThrow(ConfigError);
  });

  it("chronologicalSplits reproduces np.split boundaries and validates fractions", () => {
    expect(chronologicalSplits(10, [0.7, 0.15, 0.15])).toEqual({
      train: { start: 0, end: 7 },
      valid: { start: 7, end: 8 },
      test: { start: 8, end: 10 },
    });
    expect(chronologicalSplits(200, [0.75, 0.25, 0]).test).toEqual({ start: 200, end: 200 });
    expect(parseSplit("0.67,0.33")).toEqual([0.67, 0.33, 0]);
    expect(() => parseSplit("a,b")).toThrow(ConfigError);
    expect(() => chronologicalSplits(10, [0, 0.5, 0.5])).toThrow(ConfigError);
    expect(() => chronologicalSplits(10, [0.8, 0.3, 0])).toThrow("fractions must be ≥ 0 with train > 0 and a sum ≤ 1");
  });

  it("windows: many-to-one and many-to-many targets, stride, horizon, and never across the range", () => {
    const f = Float64Array.from({ length: 10 }, (_, i) => i);
    const w = makeWindows([f], [f], { start: 2, end: 8 }, { seqLen: 3, mode: "many-to-one", horizon: 1 });
    expect(w.x.dims).toEqual([3, 3, 1]); // starts 2, 3, 4: the last reads row 4..6 and predicts row 7
    expect(Array.from(w.x.data.subarray(0, 3))).toEqual([2, 3, 4]);
    expect(Array.from(w.y.data)).toEqual([5, 6, 7]);
    expect(Array.from(w.lastRow)).toEqual([5, 6, 7]);
    const m = makeWindows([f], [f], { start: 0, end: 10 }, { seqLen: 4, mode: "many-to-many", stride: 3 });
    expect(m.y.dims).toEqual([3, 4, 1]);
    expect(Array.from(m.y.data.subarray(4, 8))).toEqual([3, 4, 5, 6]);
    expect(() => makeWindows([f], [f], { start: 0, end: 10 }, { seqLen: 0, mode: "many-to-one" })).toThrow(ConfigError);
    // two features, stride 3: window n is rows 3n … 3n+3 of the split, row-major, a view (no copy)
    const g = Float64Array.from({ length: 10 }, (_, i) => 10 * i);
    expect([m.count, m.seqLen, m.features]).toEqual([3, 4, 1]);
    const two = makeWindows([f, g], [f], { start: 1, end: 10 }, { seqLen: 2, mode: "many-to-one", stride: 3 });
    expect(Array.from(two.window(1))).toEqual([4, 40, 5, 50]);
    expect(two.window(0).buffer).toBe(two.window(2).buffer);
    for (let n = 0; n < two.count; n++)
      expect(Array.from(two.x.data.subarray(n * 4, (n + 1) * 4))).toEqual(Array.from(two.window(n)));
    const none = makeWindows([f], [f], { start: 0, end: 3 }, { seqLen: 5, mode: "many-to-one" });
    expect(() => assertWindows(none, "test", 3, 5, 0)).toThrow(
      "the test split has 3 rows, too few for one window of seq-len 5 (need ≥ 5)",
    );
  });
});

describe("generators and corpus", () => {
  it("sineSeries, modularSequences, randomWalk, oneHot", () => {
    expect(sineSeries(3)[1]).toBe(Math.sin(1));
    const { digits, targets } = modularSequences(5, 10, 7, createRng(1));
    expect(digits.length).toBe(50);
    expect(Array.from(targets)).toEqual(Array.from(digits, (d) => (d + 1) % 7));
    expect(digits.every((d) => d >= 0 && d < 7)).toBe(true);
    const w = randomWalk(1000, createRng(2), { sigma: 0, drift: 1 });
    expect(w[999]).toBe(999);
    expect(Array.from(oneHot([2, 0], 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => modularSequences(1, 1, 1, createRng(0))).toThrow(
      "modularSequences: modulus must be an integer ≥ 2, got 1",
    );
  });

  it("addingSequence: Hochreiter & Schmidhuber's pairs, markers, lengths and target", () => {
    const rng = createRng(3);
    const seen = { first: new Set<number>(), second: new Set<number>(), lengths: new Set<number>() };
    for (let i = 0; i < 2000; i++) {
      const T = i % 2 ? 100 : 20;
      const { x, length: L, target } = addingSequence(T, rng);
      expect(x.length).toBe(2 * L);
      expect(L >= T && L <= T + Math.floor(T / 10)).toBe(true);
      const marker = (t: number) => x[2 * t + 1] as number;
      const marked = Array.from({ length: L }, (_, t) => t).filter((t) => marker(t) === 1);
      expect(marked.length).toBe(2);
      const [a, b] = marked as [number, number];
      expect(b).toBeLessThan(Math.max(10, Math.floor(T / 2) - 1)); // one among the first 10, one among the first T/2 − 1
      expect(Math.min(a, b)).toBeLessThan(10);
      if (a !== 0) expect(marker(0)).toBe(-1);
      else expect(x[0]).toBe(0); // a marked first pair has X₁ = 0
      expect(marker(L - 1)).toBe(-1);
      for (let t = 1; t < L - 1; t++) if (t !== a && t !== b) expect(marker(t)).toBe(0);
      for (let t = 0; t < L; t++) expect(Math.abs(x[2 * t] as number)).toBeLessThanOrEqual(1);
      expect(target).toBeCloseTo(0.5 + ((x[2 * a] as number) + (x[2 * b] as number)) / 4, 15);
      if (T === 100) {
        seen.lengths.add(L);
        seen.first.add(a);
        seen.second.add(b);
      }
    }
    expect(seen.lengths.size).toBe(11); // 100 … 110
    expect(Math.max(...seen.second)).toBe(48); // the first T/2 − 1 = 49 pairs: 0 … 48
    expect(Math.min(...seen.first)).toBe(0);
    expect(() => addingSequence(19, rng)).toThrow(/T must be an integer ≥ 20, got 19/);
  });

  it("vocabulary, encode and decode round-trip; unknown characters are named", () => {
    const v = buildVocabulary("hello world");
    expect(v.chars.join("")).toBe(" dehlorw");
    expect(decode(v, encode(v, "low"))).toBe("low");
    expect(() => encode(v, "hex")).toThrow('character "x" at position 2 is not in the model\'s vocabulary of 8');
    expect(vocabularyFromJson(JSON.parse(JSON.stringify(v.chars))).chars).toEqual(v.chars);
    expect(() => vocabularyFromJson(["a", "a"])).toThrow(FormatError);
    expect(() => buildVocabulary("")).toThrow(DataError);
  });
});
