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
  const text = readText(csvPath, "data file");
  const prepared = prepareSource(source, text, cfg, readingProgress(csvPath, text.length));
  if (text.length > LARGE && process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  return prepared;
}

/** Files this large (characters) show how much has been read, on a terminal. */
const LARGE = 4 << 20;

function readingProgress(file: string, size: number): ((done: number) => void) | undefined {
  if (size <= LARGE || !process.stderr.isTTY) return undefined;
  return (done) => process.stderr.write(`\rreading ${file}: ${Math.round(100 * done)}%\x1b[K`);
}
