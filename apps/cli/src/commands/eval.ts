/** `unrolled eval`: a trained model on its own splits again, or on new data, beside the baselines. */
import type { Command } from "@commander-js/extra-typings";
import {
  csvTableFor,
  type Prepared,
  readCsvSpec,
  reportFor,
  taskFromPreprocessing,
  textTaskWith,
} from "@unrolled/train";
import { prepare } from "../data-source.js";
import { CliError } from "../errors.js";
import { readText } from "../io.js";
import { formatReport } from "../report.js";
import { readTrainedModel } from "../trained-model.js";

export function registerEval(program: Command): void {
  program
    .command("eval")
    .description("evaluate a trained model: on the splits it was trained with, or on --data FILE, beside the baselines")
    .requiredOption("--model <file>", "a model file written by `unrolled train --out`")
    .option("--data <file>", "evaluate on every window of this CSV (or text, for a character model) instead")
    .option("--splits", "with --data: it is the CSV the model was trained on; evaluate on the same splits")
    .option("--json", "print one JSON object with the report")
    .action(async (o) => {
      const m = readTrainedModel(o.model, "float64");
      const prepared = o.data && !o.splits ? onNewData(m, o.data, o.model) : await onOwnSplits(m, o.model, o.data);
      const report = reportFor(
        m.params,
        prepared,
        m.training,
        { history: [], seconds: 0, stopReason: "completed", message: null, bestEpoch: null },
        { preset: m.metadata.preset, protocol: m.metadata.protocol },
      );
      if (o.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      console.log(formatReport(report, o.data !== undefined && !o.splits && m.preprocessing.kind === "series"));
    });
}

/** Every window of a new CSV (or text), prepared with the model's own scalers (or vocabulary). */
function onNewData(m: ReturnType<typeof readTrainedModel>, file: string, modelPath: string): Prepared {
  const text = readText(file, "data file");
  const prep = m.preprocessing;
  if (prep.kind === "series")
    return {
      task: taskFromPreprocessing(prep, csvTableFor(prep, text, file), file),
      preprocessing: prep,
      vocabulary: null,
    };
  if (prep.kind === "text")
    return textTaskWith(file, text, { ...m.training, split: [0.5, 0.5, 0] }, m.vocabulary?.chars);
  throw new CliError(`${modelPath}: a ${prep.kind} model has no data files to evaluate on; run eval without --data`);
}

/** The splits the model was trained on: a preset's registry data or generator; a CSV only through --data. */
async function onOwnSplits(
  m: ReturnType<typeof readTrainedModel>,
  modelPath: string,
  file?: string,
): Promise<Prepared> {
  const { preset, data } = m.metadata;
  if (data) {
    if (file === undefined)
      throw new CliError(
        `${modelPath}: trained on ${String(data.file ?? "a CSV")}; pass --data FILE --splits to evaluate on its splits (a path named in a model file is never opened)`,
      );
    return prepare({ csv: readCsvSpec(data, `${modelPath}: metadata.data`) }, m.training, file);
  }
  if (!preset) throw new CliError(`${modelPath}: the file does not say what data it was trained on; pass --data FILE`);
  if (file !== undefined)
    throw new CliError(`--splits: ${modelPath} was trained on the ${preset} preset's data, not a CSV`);
  return prepare({ preset }, m.training, undefined);
}
