/** `unrolled forecast`: N steps ahead, each prediction fed back as the next input. */
import type { Command } from "@commander-js/extra-typings";
import type { NumericTable } from "@unrolled/datasets";
import {
  csvTableFor,
  forecastSeries,
  presetByName,
  type SeriesPreprocessing,
  type TrainedModel,
} from "@unrolled/train";
import { presetText } from "../data-source.js";
import { CliError } from "../errors.js";
import { readText } from "../io.js";
import { CLI_LIMITS } from "../limits.js";
import { atMost, int } from "../options.js";
import { readTrainedModel } from "../trained-model.js";

export function registerForecast(program: Command): void {
  program
    .command("forecast")
    .description("forecast a univariate series N steps ahead from the end of its data (autoregressive)")
    .requiredOption("--model <file>", "a model trained by `unrolled train` on one series (its feature is its target)")
    .requiredOption(
      "--steps <n>",
      atMost("how many steps ahead", CLI_LIMITS.forecastSteps),
      int(1, CLI_LIMITS.forecastSteps),
    )
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
      const table = await history(m, prep, o.data, o.model);
      const series = table.columns[table.names.indexOf(prep.target)] as Float64Array;
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

/** The series to continue: --data, or the preset's own data (a CSV path named in a model file is never opened). */
async function history(
  m: TrainedModel,
  prep: SeriesPreprocessing,
  file: string | undefined,
  modelPath: string,
): Promise<NumericTable> {
  if (file !== undefined) return csvTableFor(prep, readText(file, "data file"), file);
  const { preset, data } = m.metadata;
  const series = preset ? presetByName(preset).series : undefined;
  const text = preset ? await presetText(preset) : null;
  if (series && text !== null) return series(text);
  const trainedOn = data ? `it was trained on ${String(data.file ?? "a CSV")}; ` : "";
  throw new CliError(`${modelPath}: ${trainedOn}pass --data FILE with the history to continue`);
}
