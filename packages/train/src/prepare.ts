/**
 * Turning data into tasks. Three shapes of data:
 *   series   numeric columns over time (CSV or generated): scaled with statistics of the training
 *            rows only, cut into windows that never cross a split
 *   symbols  sequences of discrete symbols with a class per step (modular counting)
 *   text     one character stream, split chronologically; validated as streams
 */
import {
  assertWindows,
  buildVocabulary,
  chronologicalSplits,
  encode,
  fitScaler,
  inverseValue,
  makeWindows,
  type NumericTable,
  type Range,
  transform,
  type Vocabulary,
  type WindowSet,
} from "@unrolled/datasets";
import { DataError, fromArray } from "@unrolled/linalg";

import { fitLinearBaseline, linearBaselinePredict, regressionBaselines, symbolBaselines } from "./baselines.js";
import type { TrainConfig } from "./config.js";
import { streamPairs } from "./evaluate.js";
import { regressionMetrics } from "./metrics.js";
import { symbolSamples, textSamples, windowSamples } from "./samples.js";
import type { SeriesPreprocessing, Task } from "./task.js";

export interface SeriesSource {
  readonly name: string;
  readonly table: NumericTable;
  readonly features: readonly string[];
  readonly target: string;
  /** 0: the target column already looks ahead; 1: predict the series' next value. */
  readonly horizon: number;
  readonly units: string;
  readonly dateColumn: string | null;
  /** Explicit row ranges instead of cfg.split (the sine tutorial's overlapping windows). */
  readonly ranges?: { readonly train: Range; readonly valid: Range; readonly test: Range | null };
}

const col = (t: NumericTable, name: string): Float64Array => {
  const i = t.names.indexOf(name);
  if (i < 0) throw new DataError(`unknown column "${name}"; available: ${t.names.join(", ")}`);
  return t.columns[i] as Float64Array;
};

/** A regression task over windows of a numeric table. */
export function seriesTask(src: SeriesSource, cfg: TrainConfig): { task: Task; preprocessing: SeriesPreprocessing } {
  const ranges = src.ranges ?? chronologicalSplits(src.table.length, cfg.split, cfg.splitRounding);
  const rawFeatures = src.features.map((f) => col(src.table, f));
  const rawTarget = col(src.table, src.target);
  const fitRows = ranges.train.end; // scalers see the training rows only
  const featureScaler = fitScaler(cfg.scale, rawFeatures, fitRows);
  const targetScaler = fitScaler(cfg.scaleTarget === "same" ? cfg.scale : cfg.scaleTarget, [rawTarget], fitRows);
  const xs = transform(featureScaler, rawFeatures);
  const ys = transform(targetScaler, [rawTarget]);
  const win = (r: Range, stride: number) =>
    makeWindows(xs, ys, r, { seqLen: cfg.seqLen, mode: cfg.mode, stride, horizon: src.horizon });
  const train = win(ranges.train, cfg.stride);
  const valid = win(ranges.valid, 1);
  const hasTest = ranges.test !== null && ranges.test.end > ranges.test.start;
  const test = hasTest && ranges.test ? win(ranges.test, 1) : null;
  assertWindows(train, "training", ranges.train.end - ranges.train.start, cfg.seqLen, src.horizon);
  assertWindows(valid, "validation", ranges.valid.end - ranges.valid.start, cfg.seqLen, src.horizon);
  if (test && ranges.test) assertWindows(test, "test", ranges.test.end - ranges.test.start, cfg.seqLen, src.horizon);
  const baselines = (w: WindowSet) => regressionBaselines(rawTarget, train, w, (z) => inverseValue(targetScaler, 0, z));
  let trainMean = 0;
  for (const r of train.lastRow) trainMean += rawTarget[r] as number;
  trainMean /= train.lastRow.length;
  const task: Task = {
    kind: "regression",
    name: src.name,
    units: src.units,
    train: windowSamples(train),
    valid: windowSamples(valid),
    test: test ? windowSamples(test) : null,
    loss: { kind: cfg.loss, reduction: cfg.reduction },
    targetScale: targetScaler,
    baselines: { valid: baselines(valid), test: test ? baselines(test) : null },
    notes: seriesNotes(src, cfg, ranges, [train, valid, test]),
    cleaning: { dropped: src.table.dropped, filled: src.table.filled },
  };
  const preprocessing: SeriesPreprocessing = {
    kind: "series",
    features: [...src.features],
    target: src.target,
    horizon: src.horizon,
    seqLen: cfg.seqLen,
    mode: cfg.mode,
    featureScaler,
    targetScaler,
    units: src.units,
    dateColumn: src.dateColumn,
    missing: cfg.missing,
    badRows: cfg.badRows,
    trainMean,
    linearBaseline: Array.from(fitLinearBaseline(train).data),
  };
  return { task, preprocessing };
}

/** What a report says about a series task's data: rows, columns, the splits' dates and windows. */
function seriesNotes(
  src: SeriesSource,
  cfg: TrainConfig,
  ranges: { readonly train: Range; readonly valid: Range; readonly test: Range | null },
  [train, valid, test]: [WindowSet, WindowSet, WindowSet | null],
): string[] {
  const d = src.table.dates;
  const span = (r: Range) => (d ? `${d[r.start]} … ${d[r.end - 1]}` : `rows ${r.start} … ${r.end - 1}`);
  const ahead = src.horizon ? ` (${src.horizon} step ahead)` : "";
  const testPart = test && ranges.test ? `, test ${span(ranges.test)} (${test.count})` : "";
  return [
    `${src.name}: ${src.table.length} rows; features ${src.features.join(", ")} → ${src.target}${ahead}`,
    `train ${span(ranges.train)} (${train.count} windows), valid ${span(ranges.valid)} (${valid.count})${testPart}`,
    `windows of ${cfg.seqLen} (${cfg.mode}), scaled ${cfg.scale} on the training rows only`,
  ];
}

export interface SymbolSplit {
  readonly digits: Int32Array;
  readonly targets: Int32Array;
}

/** A per-step classification task over symbol sequences of length seqLen (one-hot inputs over V). */
export function symbolTask(
  name: string,
  parts: { train: SymbolSplit; valid: SymbolSplit; test: SymbolSplit },
  seqLen: number,
  V: number,
  cfg: TrainConfig,
): Task {
  const pairs = (s: SymbolSplit) => {
    const p = new Int32Array(2 * s.digits.length);
    for (let i = 0; i < s.digits.length; i++) {
      p[2 * i] = s.digits[i] as number;
      p[2 * i + 1] = s.targets[i] as number;
    }
    return p;
  };
  const previous = (s: SymbolSplit) =>
    Int32Array.from(s.targets, (_, i) => (i % seqLen === 0 ? -1 : (s.targets[i - 1] as number)));
  const trainPairs = pairs(parts.train);
  const base = (s: SymbolSplit) => symbolBaselines(trainPairs, pairs(s), previous(s), V, V);
  const samples = (s: SymbolSplit) => symbolSamples(s.digits, s.targets, seqLen, V, V, cfg.mode === "many-to-many");
  return {
    kind: "classification",
    name,
    units: "accuracy",
    train: samples(parts.train),
    valid: samples(parts.valid),
    test: samples(parts.test),
    loss: { kind: "ce", reduction: cfg.reduction },
    targetScale: null,
    baselines: { valid: base(parts.valid), test: base(parts.test) },
    notes: [
      `${name}: ${parts.train.digits.length / seqLen} training sequences of ${seqLen} symbols in [0, ${V}); ${parts.test.digits.length / seqLen} unseen test sequences`,
    ],
  };
}

/** A character-level language model task on one text, split chronologically by characters. */
export function textTask(
  name: string,
  text: string,
  cfg: TrainConfig,
  vocab: Vocabulary = buildVocabulary(text),
): { task: Task; vocab: Vocabulary } {
  const ids = encode(vocab, text);
  const n = ids.length;
  const s = chronologicalSplits(n, cfg.split, cfg.splitRounding);
  const V = vocab.chars.length;
  const valid = { ids, start: s.valid.start, end: s.valid.end };
  const test = s.test.end > s.test.start ? { ids, start: s.test.start, end: s.test.end } : null;
  const trainSamples = textSamples(ids, s.train.start, s.train.end, cfg.seqLen, V);
  if (trainSamples.count === 0)
    throw new DataError(
      `${name}: the training text has ${s.train.end} characters, too few for one sequence of ${cfg.seqLen}`,
    );
  if (valid.end - valid.start < 2)
    throw new DataError(`${name}: the validation text is empty (split ${cfg.split.join(",")})`);
  const trainPairs = new Int32Array(2 * (s.train.end - 1));
  for (let i = 0; i < s.train.end - 1; i++) {
    trainPairs[2 * i] = ids[i] as number;
    trainPairs[2 * i + 1] = ids[i + 1] as number;
  }
  const base = (st: typeof valid) => {
    const { pairs, previous } = streamPairs(st);
    return symbolBaselines(trainPairs, pairs, previous, V, V, true);
  };
  const task: Task = {
    kind: "text",
    name,
    units: "nats/char",
    train: trainSamples,
    valid: textSamples(ids, valid.start, valid.end, cfg.seqLen, V),
    test: test ? textSamples(ids, test.start, test.end, cfg.seqLen, V) : null,
    loss: { kind: "ce", reduction: cfg.reduction },
    targetScale: null,
    baselines: { valid: base(valid), test: test ? base(test) : null },
    streams: { valid, test },
    notes: [
      `${name}: ${n} characters, ${V} symbols; train ${s.train.end - s.train.start}, valid ${valid.end - valid.start}${test ? `, test ${test.end - test.start}` : ""}; sequences of ${cfg.seqLen}`,
    ],
  };
  return { task, vocab };
}

/**
 * A task over new data prepared exactly as a trained model's was: the model file's columns, scalers,
 * window length and horizon; every window of the table is evaluated (train = valid = test), and the
 * baselines use the training statistics the model file recorded (its training mean and linear weights).
 */
export function taskFromPreprocessing(
  prep: SeriesPreprocessing,
  table: NumericTable,
  name: string,
  loss: TrainConfig["loss"] = "mse",
): Task {
  const rawFeatures = prep.features.map((f) => col(table, f));
  const rawTarget = col(table, prep.target);
  const xs = transform(prep.featureScaler, rawFeatures);
  const ys = transform(prep.targetScaler, [rawTarget]);
  const all = { start: 0, end: table.length };
  const w = makeWindows(xs, ys, all, { seqLen: prep.seqLen, mode: prep.mode, horizon: prep.horizon });
  assertWindows(w, "data", table.length, prep.seqLen, prep.horizon);
  const unscale = (z: number) => inverseValue(prep.targetScaler, 0, z);
  const actual = Float64Array.from(w.lastRow, (r) => rawTarget[r] as number);
  const W = fromArray(prep.linearBaseline, prep.linearBaseline.length, 1);
  const baselines = {
    persistence: regressionMetrics(
      Float64Array.from(w.lastRow, (r) => rawTarget[Math.max(0, r - 1)] as number),
      actual,
    ),
    mean: regressionMetrics(new Float64Array(actual.length).fill(prep.trainMean), actual),
    linear: regressionMetrics(Float64Array.from(linearBaselinePredict(W, w), unscale), actual),
  };
  const samples = windowSamples(w);
  return {
    kind: "regression",
    name,
    units: prep.units,
    train: samples,
    valid: samples,
    test: samples,
    loss: { kind: loss },
    targetScale: prep.targetScaler,
    baselines: { valid: baselines, test: baselines },
    notes: [
      `${name}: ${table.length} rows, ${w.count} windows of ${prep.seqLen}, prepared with the model file's scalers`,
    ],
  };
}
