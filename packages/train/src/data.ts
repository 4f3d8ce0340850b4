/**
 * From data to a prepared task, the one path every app takes: a preset's dataset, or the user's own
 * CSV (its columns chosen, its date column found, then cut into windows by seriesTask). The CLI reads
 * the files and the web demo gets them from the page; both hand the text here.
 */
import { columnIndex, inspectCsv, type NumericTable, readNumericCsv, vocabularyFromJson } from "@unrolled/datasets";
import { ConfigError, DataError, FormatError } from "@unrolled/linalg";
import { BASE_CONFIG, type TrainConfig } from "./config.js";
import { seriesTask, textTask } from "./prepare.js";
import { presetByName } from "./presets/index.js";
import type { Prepared, SeriesPreprocessing } from "./task.js";

/** What a run on a CSV needs to rebuild its task; stored in checkpoints and model files as a record, never opened. */
export interface CsvSpec {
  /** The file's name, for messages and reports. */
  readonly file: string;
  readonly features: readonly string[];
  readonly target: string;
  /** Predict the target this many rows ahead (0: the target column already looks ahead). */
  readonly horizon: number;
  readonly dateColumn: string | null;
}

const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string");

/** A CsvSpec read back from a model file or a checkpoint, validated (a FormatError names the field). */
export function readCsvSpec(v: unknown, where = "data"): CsvSpec {
  const o = (typeof v === "object" && v !== null ? v : {}) as Record<string, unknown>;
  const bad = (field: string, expected: string): never => {
    throw new FormatError(`${where}.${field} must be ${expected}`);
  };
  if (typeof o.file !== "string") bad("file", "the data file's name");
  if (!isStrings(o.features)) bad("features", "a non-empty list of column names");
  if (typeof o.target !== "string") bad("target", "a column name");
  if (!(typeof o.horizon === "number" && Number.isInteger(o.horizon) && o.horizon >= 0))
    bad("horizon", "an integer ≥ 0");
  if (o.dateColumn !== null && typeof o.dateColumn !== "string") bad("dateColumn", "a column name or null");
  return {
    file: o.file as string,
    features: [...(o.features as string[])],
    target: o.target as string,
    horizon: o.horizon as number,
    dateColumn: (o.dateColumn as string | null) ?? null,
  };
}

/** Where a run's data comes from: a preset (its registry dataset or generator), or a CSV. */
export type DataSource = { readonly preset: string } | { readonly csv: CsvSpec };

/**
 * Where a run on your own CSV starts: windows of 13 rows with a target at every step, 32 hidden units,
 * Adam at 3e-3, a 70 / 15 / 15 chronological split and early stopping after 6 epochs without a
 * validation improvement. Every field can be overridden.
 */
export const CSV_DEFAULTS: TrainConfig = {
  ...BASE_CONFIG,
  mode: "many-to-many",
  seqLen: 13,
  split: [0.7, 0.15, 0.15],
  hidden: 32,
  epochs: 25,
  batchSize: 32,
  lr: 3e-3,
  patience: 6,
};

/** A CSV's columns that could be predicted or read (every column but its date column), and the date column. */
export function csvColumns(text: string, file: string): { columns: string[]; dateColumn: string | null } {
  const { header, dateColumn } = inspectCsv(text, file);
  return { columns: header.filter((h) => h !== dateColumn), dateColumn };
}

/**
 * A CSV's spec from the user's choices: the target defaults to the last column that is not the date;
 * the features default to every column but the target and the date column (a series alone predicts
 * itself); the date column is found when not given; the horizon is 1 when the target is also a
 * feature (predict its next value), else 0 (a separate target column is already aligned).
 */
export function csvSpec(
  text: string,
  file: string,
  choices: { features?: readonly string[]; target?: string; horizon?: number; dateColumn?: string } = {},
): CsvSpec {
  const t = inspectCsv(text, file);
  const date = choices.dateColumn ?? t.dateColumn;
  if (date !== null) columnIndex(t, date, file);
  const target = choices.target ?? t.header.filter((h) => h !== date).pop();
  if (target === undefined) throw new DataError(`${file}: no column to predict besides the date column ${date}`);
  columnIndex(t, target, file);
  const others = t.header.filter((h) => h !== target && h !== date);
  const features = choices.features ?? (others.length > 0 ? others : [target]);
  if (features.length === 0) throw new ConfigError(`${file}: at least one feature column is needed`);
  for (const f of features) columnIndex(t, f, file);
  const horizon = choices.horizon ?? (features.includes(target) ? 1 : 0);
  return { file, features: [...features], target, horizon, dateColumn: date };
}

/**
 * The CSV's columns as numbers, streamed (a large file is never held as rows of text), missing cells and
 * rows with cells that are not numbers handled as `rules` say; `onProgress` hears the fraction read.
 */
export function csvTable(
  text: string,
  file: string,
  s: Pick<CsvSpec, "features" | "target" | "dateColumn">,
  rules: Pick<TrainConfig, "missing" | "badRows">,
  onProgress?: (done: number) => void,
): NumericTable {
  const cols = [...new Set([...s.features, s.target])];
  const opts = { dateColumn: s.dateColumn, missing: rules.missing, badRows: rules.badRows, source: file };
  return readNumericCsv(text, cols, onProgress ? { ...opts, onProgress } : opts);
}

/** The regression task of a CSV: windows of its rows, scaled on the training rows only. */
export function csvTask(spec: CsvSpec, text: string, cfg: TrainConfig, onProgress?: (done: number) => void): Prepared {
  const table = csvTable(text, spec.file, spec, cfg, onProgress);
  const name = spec.file.split("/").pop() ?? spec.file;
  const src = { ...spec, name, table, units: `units of ${spec.target}` };
  return { ...seriesTask(src, cfg), vocabulary: null };
}

/** The task of a run's data source, given the text of its dataset or CSV (null for generated data). */
export function prepareSource(
  source: DataSource,
  text: string | null,
  cfg: TrainConfig,
  onProgress?: (done: number) => void,
): Prepared {
  if ("csv" in source) {
    if (text === null) throw new DataError(`${source.csv.file}: its text is needed`);
    return csvTask(source.csv, text, cfg, onProgress);
  }
  return presetByName(source.preset).prepare(text, cfg);
}

/** New data read the way a trained model's series were: its columns, date column and cleaning rules. */
export function csvTableFor(prep: SeriesPreprocessing, text: string, file: string): NumericTable {
  return csvTable(text, file, prep, prep);
}

/** A text task read with the vocabulary a model was trained with (so ids mean the same characters). */
export function textTaskWith(name: string, text: string, cfg: TrainConfig, vocabulary: unknown): Prepared {
  const { task, vocab } = textTask(name, text, cfg, vocabularyFromJson(vocabulary));
  return { task, preprocessing: { kind: "text", seqLen: cfg.seqLen }, vocabulary: vocab };
}
