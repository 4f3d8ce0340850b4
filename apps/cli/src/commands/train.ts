/** `unrolled train`: a preset or a CSV → a trained model, its metrics beside honest baselines. */
import { type Command, Option } from "@commander-js/extra-typings";
import { parseSplit, SCALER_KINDS } from "@unrolled/datasets";
import { CELL_KINDS, countParams, hiddenSizeForBudget, INIT_SCHEMES, serializeModel } from "@unrolled/rnn-core";
import {
  evaluateSplit,
  makeCheckpoint,
  modelConfigFor,
  OPTIMIZER_CHOICES,
  PRESETS,
  presetByName,
  presetConfig,
  readCheckpoint,
  reportSplit,
  runTraining,
  type TrainConfig,
} from "@unrolled/train";
import { csvSpecFrom, prepare, type Source } from "../data-source.js";
import { CliError } from "../errors.js";
import { readJson, readText, writeFileAtomic } from "../io.js";
import { readModel } from "../model-io.js";
import { choice, DTYPES, int, positive } from "../options.js";
import { progress } from "../progress.js";
import { formatReport, terminalChart } from "../report.js";

const list = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("train an RNN on a preset or your CSV and report it beside persistence, mean and linear baselines")
    .option("--preset <name>", `a tutorial's experiment: ${PRESETS.map((p) => p.name).join(", ")}`)
    .option(
      "--protocol <protocol>",
      "default (our tuned setup) or tutorial (the tutorial's own setup, correct gradients)",
      choice(["default", "tutorial"] as const),
    )
    .option("--data <file.csv>", "train on your own CSV")
    .option("--features <a,b>", "input columns (default: every column but the target and the date)", list)
    .option("--target <column>", "the column to predict")
    .option(
      "--horizon <h>",
      "predict the target h rows ahead (default 1 when the target is also a feature, else 0)",
      int(0),
    )
    .option("--date-column <column>", "the date column (default: detected)")
    .option("--missing <policy>", "missing cells: ffill, drop or error", choice(["ffill", "drop", "error"] as const))
    .option("--mode <mode>", "many-to-many or many-to-one", choice(["many-to-many", "many-to-one"] as const))
    .option("--seq-len <n>", "time steps per window", int(1))
    .option("--stride <n>", "rows between training windows", int(1))
    .option("--split <fractions>", "train,valid,test fractions of the rows, chronological (e.g. 0.7,0.15,0.15)")
    .option("--scale <kind>", "standard, minmax or none (fitted on the training rows)", choice(SCALER_KINDS))
    .option(
      "--cell <cell>",
      "rnn, lstm or gru (sized to the preset RNN's parameter count unless --hidden is given)",
      choice(CELL_KINDS),
    )
    .option("--hidden <H>", "hidden units", int(1))
    .option("--layers <L>", "stacked layers", int(1))
    .option("--nonlinearity <phi>", "tanh, relu or sigmoid", choice(["tanh", "relu", "sigmoid"] as const))
    .option("--bidirectional", "two directions per layer")
    .option("--init-scheme <scheme>", `initialiser: ${INIT_SCHEMES.join(", ")}`, choice(INIT_SCHEMES))
    .option("--epochs <n>", "epochs", int(1))
    .option("--batch <n>", "sequences per batch", int(1))
    .option("--batches-per-epoch <n>", "use a random subset of this many batches per epoch", int(1))
    .option("--optimizer <name>", OPTIMIZER_CHOICES.join(", "), choice(OPTIMIZER_CHOICES))
    .option("--lr <rate>", "learning rate", positive())
    .option("--weight-decay <λ>", "weight decay", positive(true))
    .option(
      "--schedule <kind>",
      "constant, cosine, step or plateau",
      choice(["constant", "cosine", "step", "plateau"] as const),
    )
    .option("--clip-norm <max>", "clip the gradient's global norm", positive())
    .option("--clip-value <max>", "clip every gradient element to ±max", positive())
    .option("--tbptt <k>", "truncated BPTT: cut the gradient every k steps", int(1))
    .option("--patience <n>", "early stopping after n epochs without improvement (0: off)", int(0))
    .option("--seed <n>", "seed for the weights, the shuffling and generated data", int())
    .option("--no-shuffle", "keep windows in time order")
    .option("--dtype <dtype>", "float64 or float32", choice(DTYPES))
    .option("--init <model.json>", "start from this model file's weights")
    .option("--resume <checkpoint.json>", "continue an interrupted run (its own settings)")
    .option("--checkpoint <file>", "where Ctrl-C writes the checkpoint", "unrolled-checkpoint.json")
    .option("--out <model.json>", "write the trained model here")
    .option("--plot <file>", "write loss curves and predictions vs actual (.svg or .png)")
    .option("--json", "print one JSON object with the report")
    .addOption(
      new Option("--interrupt-after <batches>", "stop as Ctrl-C would after this many batches (for testing resume)")
        .argParser(int(1))
        .hideHelp(),
    )
    .action(async (o) => {
      let source: Source;
      let cfg: TrainConfig;
      let protocol: "default" | "tutorial" | "custom";
      let resume = undefined as ReturnType<typeof readCheckpoint> | undefined;
      if (o.resume) {
        resume = readCheckpoint(readJson(o.resume, "checkpoint"));
        source = { preset: resume.preset, csv: (resume.data as Source["csv"]) ?? null };
        cfg = resume.config;
        protocol = resume.protocol;
      } else {
        if (o.preset && o.data) throw new CliError("choose either --preset or --data, not both");
        if (!o.preset && !o.data)
          throw new CliError(
            `choose --preset NAME (${PRESETS.map((p) => p.name).join(", ")}) or --data FILE.csv --target COLUMN`,
          );
        const base = o.preset ? presetByName(o.preset) : null;
        protocol = o.protocol ?? (base ? "default" : "custom");
        // a preset's configuration (for --cell, with the settings it keeps for that cell), else sensible defaults
        const start = base
          ? presetConfig(base, protocol === "tutorial" ? "tutorial" : "default", o.cell)
          : presetByName("weather").defaults;
        cfg = overrides(start, o);
        source = {
          preset: o.preset ?? null,
          csv: o.data
            ? csvSpecFrom(o.data, readText(o.data, "data file"), o.features, o.target, o.horizon, o.dateColumn)
            : null,
        };
      }
      const prepared = await prepare(source, cfg);
      const notes: string[] = [];
      if (!resume && o.cell !== undefined && o.hidden === undefined && o.preset) {
        // --cell without --hidden: as many parameters as the preset's own model, no more
        const base = presetConfig(presetByName(o.preset), protocol === "tutorial" ? "tutorial" : "default");
        if (base.cell !== cfg.cell) {
          const budget = countParams(modelConfigFor(prepared.task, base));
          cfg = { ...cfg, hidden: hiddenSizeForBudget(modelConfigFor(prepared.task, cfg), budget) };
          notes.push(
            `${cfg.cell} sized to ${cfg.hidden} hidden units: ${countParams(modelConfigFor(prepared.task, cfg))} parameters, at most the preset ${base.cell}'s ${budget}`,
          );
        }
      }
      const init = o.init ? readModel(o.init, cfg.dtype).params : undefined;
      const mode = o.json ? "quiet" : process.stderr.isTTY ? "tty" : "plain";
      const bar = progress(cfg.epochs, mode);
      let interrupted = false;
      let batches = 0;
      const onSigint = () => {
        interrupted = true;
      };
      process.on("SIGINT", onSigint);
      const out = await runTraining(prepared, cfg, {
        preset: source.preset,
        protocol,
        notes,
        ...(init ? { init } : {}),
        ...(resume ? { resume: resume.state } : {}),
        events: {
          onBatch: (b) => {
            batches++;
            bar.batch(b);
          },
          onEpoch: (r) => bar.epoch(r),
          shouldStop: () => interrupted || (o.interruptAfter !== undefined && batches >= o.interruptAfter),
        },
      }).catch((e) => {
        process.off("SIGINT", onSigint);
        throw e;
      });
      bar.done();
      if (out.report === null) {
        // interrupted: a second Ctrl-C is still caught here, so the checkpoint is written whole
        const ckpt = makeCheckpoint({
          preset: source.preset,
          protocol,
          data: source.csv ? { ...source.csv } : null,
          config: cfg,
          model: out.params.config,
          state: out.fit.state,
        });
        writeFileAtomic(o.checkpoint, `${JSON.stringify(ckpt)}\n`);
        process.stderr.write(
          `unrolled: ${out.fit.message}; checkpoint written to ${o.checkpoint} (continue with --resume ${o.checkpoint})\n`,
        );
        process.exitCode = 130;
        process.off("SIGINT", onSigint);
        return;
      }
      process.off("SIGINT", onSigint);
      const r = out.report;

      // a run that went non-finite is a failure: report it, but write no model or plot
      const failed = out.fit.stopReason === "non-finite";
      if (o.out && !failed) {
        const metadata = { ...(out.sections.metadata as object), data: source.csv ? { ...source.csv } : null };
        writeFileAtomic(o.out, serializeModel(out.params, { ...out.sections, metadata }));
      }
      const split = reportSplit(prepared.task);
      const predictions =
        prepared.task.kind === "regression"
          ? (evaluateSplit(out.params, prepared.task, split).predictions ?? null)
          : null;
      if (o.plot && !failed) await (await import("../plot.js")).writePlot(o.plot, r, predictions);
      if (o.json)
        process.stdout.write(
          `${JSON.stringify({ ...r, model: failed ? null : (o.out ?? null), modelConfig: r.model })}\n`,
        );
      else {
        console.log(formatReport(r));
        if (predictions) console.log(`\n${terminalChart(predictions.pred, predictions.actual)}`);
        if (!failed) console.log(o.out ? `\nmodel written to ${o.out}` : "\nmodel not saved (add --out MODEL.json)");
      }
      if (failed) {
        process.stderr.write(
          `unrolled: training stopped: ${out.fit.message}; the report shows the last good weights; no model written\n`,
        );
        process.exitCode = 1;
      }
    });
}

type Flags = Record<string, unknown>;

/** The configuration with every flag the user gave applied. */
function overrides(base: TrainConfig, o: Flags): TrainConfig {
  const c: Record<string, unknown> = { ...base };
  const map: [string, keyof TrainConfig][] = [
    ["missing", "missing"],
    ["mode", "mode"],
    ["seqLen", "seqLen"],
    ["stride", "stride"],
    ["scale", "scale"],
    ["cell", "cell"],
    ["hidden", "hidden"],
    ["layers", "layers"],
    ["nonlinearity", "nonlinearity"],
    ["initScheme", "init"],
    ["epochs", "epochs"],
    ["batch", "batch"],
    ["batchesPerEpoch", "batchesPerEpoch"],
    ["optimizer", "optimizer"],
    ["lr", "lr"],
    ["weightDecay", "weightDecay"],
    ["schedule", "schedule"],
    ["clipNorm", "clipNorm"],
    ["clipValue", "clipValue"],
    ["tbptt", "tbptt"],
    ["patience", "patience"],
    ["seed", "seed"],
    ["dtype", "dtype"],
  ];
  for (const [flag, key] of map) if (o[flag] !== undefined) c[key] = o[flag];
  if (o.bidirectional) c.bidirectional = true;
  if (o.shuffle === false) c.shuffle = false;
  if (typeof o.split === "string") c.split = parseSplit(o.split);
  return c as unknown as TrainConfig;
}
