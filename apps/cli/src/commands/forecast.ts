/** `unrolled forecast`: N steps ahead, each prediction fed back as the next input. */
import type { Command } from "@commander-js/extra-typings";
import { filterDates, numericColumns, parseCsv } from "@unrolled/datasets";
import { forecastSeries } from "@unrolled/train";
import { type CsvSpec, presetText } from "../data-source.js";
import { CliError } from "../errors.js";
import { readText } from "../io.js";
import { int } from "../options.js";
import { readTrainedModel } from "../trained-model.js";

export function registerForecast(program: Command): void {
  program
    .command("forecast")
    .description("forecast a univariate series N steps ahead from the end of its data (autoregressive)")
    .requiredOption("--model <file>", "a model trained by `unrolled train` on one series (its feature is its target)")
    .requiredOption("--steps <n>", "how many steps ahead", int(1))
    .option("--data <file>", "the history to continue (default: the data the model was trained on)")
    .option("--history <n>", "how many of the last rows to read first (default: the model's window length)", int(1))
    .option("--json", 'print {"forecast": [...], "lastDate", "units"}')
    .action(async (o) => {
      const m = readTrainedModel(o.model);
      const prep = m.preprocessing;
      if (
        prep.kind !== "series" ||
        prep.features.length !== 1 ||
        prep.features[0] !== prep.target ||
        prep.horizon !== 1
      ) {
        throw new CliError(
          `${o.model}: forecast needs a model of one series predicting its own next value (features = [target], horizon 1)`,
        );
      }
      const csv = m.metadata.data as CsvSpec | null;
      const text = o.data
        ? readText(o.data, "data file")
        : csv
          ? readText(csv.file, "data file")
          : m.metadata.preset
            ? await presetText(m.metadata.preset)
            : null;
      if (text === null) throw new CliError(`${o.model}: no data to start from; pass --data FILE`);
      let table = numericColumns(parseCsv(text, o.data ?? "data"), [prep.target], {
        dateColumn: prep.dateColumn,
        missing: prep.missing,
      });
      if (m.metadata.preset === "googl" && !o.data) table = filterDates(table, "2020-04-01", "2023-04-01");
      const series = table.columns[0] as Float64Array;
      const h = Math.min(o.history ?? prep.seqLen, series.length);
      const out = forecastSeries(
        m.params,
        { feature: prep.featureScaler, target: prep.targetScaler },
        series.subarray(series.length - h),
        o.steps,
      );
      const lastDate = table.dates?.[table.length - 1] ?? null;
      if (o.json) {
        process.stdout.write(
          `${JSON.stringify({ forecast: Array.from(out), lastDate, units: prep.units, history: h })}\n`,
        );
        return;
      }
      console.log(
        `${prep.target}: ${o.steps} steps after ${lastDate ?? `row ${table.length}`} (read the last ${h} values first)${prep.units ? `, in ${prep.units}` : ""}`,
      );
      for (const [i, v] of out.entries()) console.log(`  +${i + 1}  ${v.toPrecision(6)}`);
    });
}
