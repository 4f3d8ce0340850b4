/** `unrolled eval`: a trained model on its own splits again, or on new data, beside the baselines. */
import type { Command } from "@commander-js/extra-typings";
import { numericColumns, parseCsv } from "@unrolled/datasets";
import { reportFor, taskFromPreprocessing } from "@unrolled/train";
import { type CsvSpec, prepare, prepareTextWith } from "../data-source.js";
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
    .option("--json", "print one JSON object with the report")
    .action(async (o) => {
      const m = readTrainedModel(o.model, "float64");
      const cfg = m.training;
      let prepared: Awaited<ReturnType<typeof prepare>>;
      if (o.data) {
        const text = readText(o.data, "data file");
        if (m.preprocessing.kind === "series") {
          const prep = m.preprocessing;
          const cols = [...new Set([...prep.features, prep.target])];
          const table = numericColumns(parseCsv(text, o.data), cols, {
            dateColumn: prep.dateColumn,
            missing: prep.missing,
            source: o.data,
          });
          prepared = { task: taskFromPreprocessing(prep, table, o.data), preprocessing: prep, vocabulary: null };
        } else if (m.preprocessing.kind === "text") {
          prepared = prepareTextWith(o.data, text, { ...cfg, split: [0.5, 0.5, 0] }, m.sections.vocabulary);
        } else {
          throw new CliError(
            `${o.model}: a ${m.preprocessing.kind} model has no data files to evaluate on; run eval without --data`,
          );
        }
      } else {
        const csv = (m.metadata.data as CsvSpec | null) ?? null;
        if (!m.metadata.preset && !csv)
          throw new CliError(`${o.model}: the file does not say what data it was trained on; pass --data FILE`);
        prepared =
          m.preprocessing.kind === "text" && m.metadata.preset
            ? await prepare({ preset: m.metadata.preset, csv: null }, cfg)
            : await prepare({ preset: m.metadata.preset, csv }, cfg);
      }
      const report = reportFor(
        m.params,
        prepared,
        cfg,
        { history: [], seconds: 0, stopReason: "completed", message: null, bestEpoch: null },
        { preset: m.metadata.preset, protocol: m.metadata.protocol as "default" },
      );
      if (o.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      console.log(formatReport(report, o.data !== undefined && m.preprocessing.kind === "series"));
    });
}
