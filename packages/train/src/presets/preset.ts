/**
 * What a preset is: one experiment — a dataset (or a generator), the tutorial it reproduces, its goal,
 * our tuned configuration and the tutorial's own — and the functions every preset shares. Presets
 * are pure: they get the dataset's text (or nothing for generated data) and return a task.
 */
import { datasetInfo, filterDates, type NumericTable, numericColumns, parseCsv } from "@unrolled/datasets";
import { ConfigError, DataError } from "@unrolled/linalg";
import { type CellKind, countParams, hiddenSizeForBudget } from "@unrolled/rnn-core";
import type { TrainConfig } from "../config.js";
import { seriesTask } from "../prepare.js";
import { modelConfigFor } from "../run.js";
import type { Prepared, Task } from "../task.js";

export type Protocol = "default" | "tutorial";

export interface Preset {
  readonly name: string;
  readonly description: string;
  /** Registry dataset it reads, or null when its data is generated. */
  readonly dataset: string | null;
  /** The tutorial in ../shared/tutorials whose experiment it reproduces. */
  readonly tutorial: string | null;
  /** What the default configuration must reach (targets.md). */
  readonly goal: string;
  readonly defaults: TrainConfig;
  readonly tutorialConfig: TrainConfig;
  /** Settings that suit another cell better than the preset's own (learning rate, forget-gate bias). */
  readonly cellDefaults?: Partial<Record<CellKind, Partial<TrainConfig>>>;
  /** For a series read from a CSV: the column it continues (what `forecast` reads), and its table. */
  readonly series?: (text: string) => NumericTable;
  prepare(text: string | null, cfg: TrainConfig): Prepared;
}

/**
 * A preset's configuration for a protocol, optionally with another cell: the LSTM and the GRU get
 * "tanh" (their gates fix their own nonlinearities) and the preset's `cellDefaults` for them; the
 * Elman cell drops the settings of gate biases it does not have.
 */
export function presetConfig(p: Preset, protocol: Protocol, cell?: CellKind): TrainConfig {
  const base = protocol === "tutorial" ? p.tutorialConfig : p.defaults;
  if (cell === undefined || cell === base.cell) return base;
  const { initChrono, initForgetBias, ...common } = base;
  const gates =
    cell === "rnn"
      ? {}
      : {
          ...(initChrono !== undefined ? { initChrono } : {}),
          ...(initForgetBias !== undefined ? { initForgetBias } : {}),
        };
  return {
    ...common,
    ...gates,
    cell,
    nonlinearity: cell === "rnn" ? base.nonlinearity : "tanh",
    ...(p.cellDefaults?.[cell] ?? {}),
  };
}

/**
 * Another cell, sized fairly: the largest hidden size whose model has at most as many parameters as
 * the preset's own model on this task. Returns the configuration and a line for the report.
 */
export function sizedLikePreset(
  p: Preset,
  protocol: Protocol,
  cfg: TrainConfig,
  task: Task,
): { cfg: TrainConfig; note: string | null } {
  const base = presetConfig(p, protocol);
  if (base.cell === cfg.cell) return { cfg, note: null };
  const budget = countParams(modelConfigFor(task, base));
  const sized = { ...cfg, hidden: hiddenSizeForBudget(modelConfigFor(task, cfg), budget) };
  const count = countParams(modelConfigFor(task, sized));
  const note = `${sized.cell} sized to ${sized.hidden} hidden units: ${count} parameters, at most the preset ${base.cell}'s ${budget}`;
  return { cfg: sized, note };
}

export const needText = (text: string | null, name: string): string => {
  if (text === null) throw new DataError(`preset ${name}: its dataset's text is needed`);
  return text;
};

/** How a preset reads its series from a registry CSV. */
export interface CsvSeries {
  readonly dataset: string;
  readonly features: readonly string[];
  readonly target: string;
  readonly horizon: number;
  /** Keep the rows whose date is in [from, to). */
  readonly from?: string;
  readonly to?: string;
}

/** The preset's columns of its dataset, missing cells handled as the configuration says. */
export function csvSeriesTable(s: CsvSeries, text: string, missing: TrainConfig["missing"] = "ffill"): NumericTable {
  const info = datasetInfo(s.dataset);
  if (!info) throw new ConfigError(`unknown dataset ${s.dataset}`);
  const cols = [...new Set([...s.features, s.target])];
  const table = numericColumns(parseCsv(text, info.file), cols, {
    dateColumn: info.dateColumn,
    missing,
    source: info.file,
  });
  return s.from !== undefined || s.to !== undefined
    ? filterDates(table, s.from ?? null, s.to ?? null, info.file)
    : table;
}

/** The regression task of a preset's series. */
export function csvSeriesTask(s: CsvSeries, text: string | null, cfg: TrainConfig): Prepared {
  const info = datasetInfo(s.dataset);
  if (!info) throw new ConfigError(`unknown dataset ${s.dataset}`);
  const table = csvSeriesTable(s, needText(text, s.dataset), cfg.missing);
  const src = { ...s, name: s.dataset, table, units: info.units, dateColumn: info.dateColumn };
  return { ...seriesTask(src, cfg), vocabulary: null };
}
