/**
 * From command-line choices to a prepared task: a preset (its dataset found through
 * @unrolled/datasets/node) or the user's own CSV. The same function rebuilds the task for --resume and
 * for eval, from what the checkpoint or the model file recorded.
 */
import {
  columnIndex,
  looksLikeDates,
  numericColumns,
  parseCsv,
  type Vocabulary,
  vocabularyFromJson,
} from "@unrolled/datasets";
import { readDataset } from "@unrolled/datasets/node";
import { DataError } from "@unrolled/linalg";
import { type Prepared, presetByName, seriesTask, type TrainConfig, textTask } from "@unrolled/train";
import { CliError } from "./errors.js";
import { readText } from "./io.js";

/** What a --data run needs to rebuild its task; stored in checkpoints and model files. */
export interface CsvSpec {
  readonly file: string;
  readonly features: readonly string[];
  readonly target: string;
  readonly horizon: number;
  readonly dateColumn: string | null;
}

export interface Source {
  readonly preset: string | null;
  readonly csv: CsvSpec | null;
}

/** The dataset text of a preset (null for generated data). */
export async function presetText(name: string): Promise<string | null> {
  const preset = presetByName(name);
  if (!preset.dataset) return null;
  return (await readDataset(preset.dataset)).text;
}

/** A CSV spec from flags: features default to every column but the target and the date (or the target alone). */
export function csvSpecFrom(
  file: string,
  text: string,
  features: string[] | undefined,
  target: string | undefined,
  horizon: number | undefined,
  dateColumn: string | undefined,
): CsvSpec {
  const t = parseCsv(text, file);
  if (!target) throw new CliError(`--data needs --target <column>; the columns of ${file} are: ${t.header.join(", ")}`);
  columnIndex(t, target, file);
  const date = dateColumn ?? t.header.find((_, i) => looksLikeDates(t, i)) ?? null;
  if (date !== null) columnIndex(t, date, file);
  // default: every other column; a single series (only a date and the target) predicts itself
  const others = t.header.filter((h) => h !== target && h !== date);
  const feats = features ?? (others.length > 0 ? others : [target]);
  for (const f of feats) columnIndex(t, f, file);
  if (feats.length === 0) throw new CliError("--features: give at least one column");
  // predicting a series from itself must look ahead; a separate target column is already aligned
  const h = horizon ?? (feats.includes(target) ? 1 : 0);
  return { file, features: feats, target, horizon: h, dateColumn: date };
}

export function prepareCsv(spec: CsvSpec, text: string, cfg: TrainConfig): Prepared {
  const cols = [...new Set([...spec.features, spec.target])];
  const table = numericColumns(parseCsv(text, spec.file), cols, {
    dateColumn: spec.dateColumn,
    missing: cfg.missing,
    source: spec.file,
  });
  const name = spec.file.split("/").pop() ?? spec.file;
  const r = seriesTask(
    {
      name,
      table,
      features: spec.features,
      target: spec.target,
      horizon: spec.horizon,
      units: `units of ${spec.target}`,
      dateColumn: spec.dateColumn,
    },
    cfg,
  );
  return { ...r, vocabulary: null };
}

/** The task for a source and a configuration. */
export async function prepare(source: Source, cfg: TrainConfig): Promise<Prepared> {
  if (source.csv) return prepareCsv(source.csv, readText(source.csv.file, "data file"), cfg);
  if (!source.preset) throw new CliError("choose --preset NAME or --data FILE.csv");
  return presetByName(source.preset).prepare(await presetText(source.preset), cfg);
}

/** A text task using the vocabulary a model was trained with (so ids mean the same characters). */
export function prepareTextWith(name: string, text: string, cfg: TrainConfig, vocabulary: unknown): Prepared {
  let vocab: Vocabulary;
  try {
    vocab = vocabularyFromJson(vocabulary);
  } catch (e) {
    throw new DataError(`the model file's ${(e as Error).message}`);
  }
  const { task } = textTask(name, text, cfg, vocab);
  return { task, preprocessing: { kind: "text", seqLen: cfg.seqLen }, vocabulary: vocab };
}
