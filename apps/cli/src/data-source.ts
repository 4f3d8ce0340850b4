/**
 * The files behind a run's data: a preset's registry dataset (found and checksummed by
 * @unrolled/datasets/node) or the user's CSV, read from disk. Everything after reading — choosing
 * columns, finding the date column, building the task — is @unrolled/train's.
 */
import { readDataset } from "@unrolled/datasets/node";
import { type DataSource, type Prepared, prepareSource, presetByName, type TrainConfig } from "@unrolled/train";
import { CliError } from "./errors.js";
import { readText } from "./io.js";

/** The dataset text of a preset (null for generated data). */
export async function presetText(name: string): Promise<string | null> {
  const preset = presetByName(name);
  if (!preset.dataset) return null;
  return (await readDataset(preset.dataset)).text;
}

/**
 * The task for a source and a configuration. A CSV is read from `csvPath`, the --data the user gave
 * on this command line: a path recorded in a model file or a checkpoint is never opened.
 */
export async function prepare(source: DataSource, cfg: TrainConfig, csvPath: string | undefined): Promise<Prepared> {
  if (!("csv" in source)) return prepareSource(source, await presetText(source.preset), cfg);
  if (csvPath === undefined)
    throw new CliError(
      `the run was on ${source.csv.file}; pass --data FILE.csv to read it again (a recorded path is never opened)`,
    );
  return prepareSource(source, readText(csvPath, "data file"), cfg);
}
