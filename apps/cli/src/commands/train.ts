/** `unrolled train`: a preset or a CSV → a trained model, its metrics beside honest baselines. */
import { type Command, Option } from "@commander-js/extra-typings";
import { parseSplit, SCALER_KINDS } from "@unrolled/datasets";
import { CELL_KINDS, INIT_SCHEMES, type InitScheme, LIMITS, serializeModel } from "@unrolled/rnn-core";
import {
  type Checkpoint,
  CSV_DEFAULTS,
  csvSpec,
  type DataSource,
  DIVERGENCE,
  evaluateSplit,
  GradientHistory,
  LOOP_LIMITS,
  makeCheckpoint,
  OPTIMIZER_CHOICES,
  PRESETS,
  presetByName,
  presetConfig,
  type RunOutput,
  type RunProtocol,
  readCheckpoint,
  reportSplit,
  runTraining,
  SCHEDULES,
  sizedLikePreset,
  TRAIN_LIMITS,
  type TrainConfig,
} from "@unrolled/train";
import { prepare } from "../data-source.js";
import { CliError } from "../errors.js";
import { checkOutput, readJson, readText, writeFileAtomic } from "../io.js";
import { readModel } from "../model-io.js";
import { atMost, choice, DTYPES, fraction, int, positive } from "../options.js";
import { progress } from "../progress.js";
import { formatReport, terminalChart } from "../report.js";

const list = (v: string) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** Flags and the configuration fields they set (the CLI's names for the library's). */
export const TRAIN_FLAGS: readonly (readonly [flag: string, key: keyof TrainConfig])[] = [
  ["missing", "missing"],
  ["badRows", "badRows"],
  ["mode", "mode"],
  ["seqLen", "seqLen"],
  ["stride", "stride"],
  ["scale", "scale"],
  ["cell", "cell"],
  ["hidden", "hidden"],
  ["layers", "layers"],
  ["nonlinearity", "nonlinearity"],
  ["dropout", "dropout"],
  ["headDropout", "headDropout"],
  ["inputDropout", "inputDropout"],
  ["initScheme", "initScheme"],
  ["initChrono", "initChrono"],
  ["epochs", "epochs"],
  ["batch", "batchSize"],
  ["batchesPerEpoch", "batchesPerEpoch"],
  ["optimizer", "optimizer"],
  ["lr", "lr"],
  ["weightDecay", "weightDecay"],
  ["schedule", "schedule"],
  ["clipNorm", "clipNorm"],
  ["clipValue", "clipValue"],
  ["tbptt", "truncate"],
  ["patience", "patience"],
  ["seed", "seed"],
  ["dtype", "dtype"],
];

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("train an RNN on a preset or your CSV and report it beside persistence, mean and linear baselines")
    .addHelpText(
      "after",
      `\nTraining fails with one line, and writes no --out, when a loss, gradient or weight becomes non-finite or the\nvalidation loss grows past ${DIVERGENCE}× the untrained model's (any optimizer); the report keeps the best weights.`,
    )
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
    .option(
      "--bad-rows <policy>",
      "rows with a cell that is not a number: error (default) or skip",
      choice(["error", "skip"] as const),
    )
    .option("--mode <mode>", "many-to-many or many-to-one", choice(["many-to-many", "many-to-one"] as const))
    .option("--seq-len <n>", atMost("time steps per window", TRAIN_LIMITS.seqLen), int(1, TRAIN_LIMITS.seqLen))
    .option("--stride <n>", atMost("rows between training windows", TRAIN_LIMITS.stride), int(1, TRAIN_LIMITS.stride))
    .option("--split <fractions>", "train,valid,test fractions of the rows, chronological (e.g. 0.7,0.15,0.15)")
    .option("--scale <kind>", "standard, minmax or none (fitted on the training rows)", choice(SCALER_KINDS))
    .option(
      "--cell <cell>",
      "rnn, lstm or gru (sized to the preset RNN's parameter count unless --hidden is given)",
      choice(CELL_KINDS),
    )
    .option("--hidden <H>", atMost("hidden units", LIMITS.size), int(1, LIMITS.size))
    .option("--layers <L>", atMost("stacked layers", LIMITS.layers), int(1, LIMITS.layers))
    .option("--nonlinearity <phi>", "tanh, relu or sigmoid", choice(["tanh", "relu", "sigmoid"] as const))
    .option("--bidirectional", "two directions per layer")
    .option("--dropout <p>", "dropout while training on every layer's output but the last (PyTorch's)", fraction)
    .option("--head-dropout <p>", "dropout while training on what the head reads", fraction)
    .option("--input-dropout <p>", "dropout while training on the inputs (dense inputs)", fraction)
    .option("--init-scheme <scheme>", `initialiser: ${INIT_SCHEMES.join(", ")}`, choice(INIT_SCHEMES))
    .option(
      "--init-chrono <T>",
      "LSTM/GRU gate biases for dependencies up to T steps (chrono initialisation)",
      positive(),
    )
    .option("--epochs <n>", atMost("epochs", LOOP_LIMITS.epochs), int(1, LOOP_LIMITS.epochs))
    .option("--batch <n>", atMost("sequences per batch", LOOP_LIMITS.batchSize), int(1, LOOP_LIMITS.batchSize))
    .option("--batches-per-epoch <n>", "use a random subset of this many batches per epoch", int(1))
    .option("--optimizer <name>", OPTIMIZER_CHOICES.join(", "), choice(OPTIMIZER_CHOICES))
    .option("--lr <rate>", "learning rate", positive())
    .option("--weight-decay <λ>", "weight decay", positive(true))
    .option("--schedule <kind>", SCHEDULES.join(", "), choice(SCHEDULES))
    .option("--clip-norm <max>", "clip the gradient's global norm", positive())
    .option("--clip-value <max>", "clip every gradient element to ±max", positive())
    .option("--tbptt <k>", "truncated BPTT: cut the gradient every k steps", int(1))
    .option("--patience <n>", "early stopping after n epochs without improvement (0: off)", int(0))
    .option("--seed <n>", "seed for the weights, the shuffling and generated data", int())
    .option("--no-shuffle", "keep windows in time order")
    .option("--dtype <dtype>", "float64 or float32", choice(DTYPES))
    .option(
      "--init <scheme|model.json>",
      "an initialiser (as --init-scheme; irnn implies relu) or a model file to start from",
    )
    .option(
      "--resume <checkpoint.json>",
      "continue an interrupted run (its own settings; a CSV run needs --data again)",
    )
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
      if (o.plot && !/\.(svg|png)$/i.test(o.plot))
        throw new CliError(`--plot ${o.plot}: expected a file name ending in .svg or .png`);
      checkOutputs(o);
      const run = o.resume ? fromCheckpoint(readCheckpoint(readJson(o.resume, "checkpoint"))) : fromFlags(o);
      const prepared = await prepare(run.source, run.cfg, o.data);
      let cfg = run.cfg;
      const notes: string[] = [];
      if (!o.resume && o.cell !== undefined && o.hidden === undefined && "preset" in run.source) {
        // --cell without --hidden: as many parameters as the preset's own model, no more
        const sized = sizedLikePreset(presetByName(run.source.preset), protocolOf(run.protocol), cfg, prepared.task);
        cfg = sized.cfg;
        if (sized.note) notes.push(sized.note);
      }
      const modelFile = o.init !== undefined && initSchemeOf(o) === undefined ? o.init : undefined;
      const initialParams = modelFile ? readModel(modelFile, cfg.dtype).params : undefined;
      const out = await trainWithProgress(prepared, cfg, run, notes, initialParams, o);
      if (out === null) return;
      await finish(out, prepared, o);
    });
}

interface RunSetup {
  readonly source: DataSource;
  readonly cfg: TrainConfig;
  readonly protocol: RunProtocol;
  readonly resume?: Checkpoint;
}

const protocolOf = (p: RunProtocol): "default" | "tutorial" => (p === "tutorial" ? "tutorial" : "default");

function fromCheckpoint(c: Checkpoint): RunSetup {
  const source: DataSource = c.data ? { csv: c.data } : { preset: c.preset ?? "" };
  return { source, cfg: c.config, protocol: c.protocol, resume: c };
}

type Flags = Record<string, unknown> & {
  preset?: string;
  data?: string;
  protocol?: "default" | "tutorial";
  cell?: TrainConfig["cell"];
  features?: string[];
  target?: string;
  horizon?: number;
  dateColumn?: string;
};

function fromFlags(o: Flags): RunSetup {
  if (o.preset && o.data) throw new CliError("choose either --preset or --data, not both");
  if (!o.preset && !o.data)
    throw new CliError(
      `choose --preset NAME (${PRESETS.map((p) => p.name).join(", ")}) or --data FILE.csv --target COLUMN`,
    );
  if (o.preset) {
    const given = (["features", "target", "horizon", "dateColumn"] as const).filter((k) => o[k] !== undefined);
    if (given.length > 0)
      throw new CliError(
        `--${given[0] === "dateColumn" ? "date-column" : given[0]} applies to --data runs; preset ${o.preset} chooses its own columns (unrolled datasets info ${presetByName(o.preset).dataset ?? o.preset})`,
      );
    const preset = presetByName(o.preset);
    const protocol = o.protocol ?? "default";
    return { source: { preset: o.preset }, cfg: overrides(presetConfig(preset, protocol, o.cell), o), protocol };
  }
  const file = o.data as string;
  const text = readText(file, "data file");
  if (!o.target) throw new CliError(`--data needs --target COLUMN (the column to predict)`);
  const spec = csvSpec(text, file, {
    target: o.target,
    ...(o.features ? { features: o.features } : {}),
    ...(o.horizon !== undefined ? { horizon: o.horizon } : {}),
    ...(o.dateColumn ? { dateColumn: o.dateColumn } : {}),
  });
  if (o.protocol === "tutorial") throw new CliError("--protocol tutorial applies to presets only");
  return { source: { csv: spec }, cfg: overrides(CSV_DEFAULTS, o), protocol: "custom" };
}

/** --init NAME is --init-scheme NAME; anything else names a model file. */
function initSchemeOf(o: Flags): InitScheme | undefined {
  const named = INIT_SCHEMES.find((s) => s === o.init);
  if (named && o.initScheme !== undefined && o.initScheme !== named)
    throw new CliError(`--init ${named} and --init-scheme ${o.initScheme} disagree; give one of them`);
  return named ?? (o.initScheme as InitScheme | undefined);
}

/** The configuration with every flag the user gave applied. */
function overrides(base: TrainConfig, o: Flags): TrainConfig {
  const c: Record<string, unknown> = { ...base };
  for (const [flag, key] of TRAIN_FLAGS) if (o[flag] !== undefined) c[key] = o[flag];
  if (o.cell !== undefined && o.cell !== "rnn") c.nonlinearity = "tanh";
  const scheme = initSchemeOf(o);
  if (scheme !== undefined) c.initScheme = scheme;
  // Le, Jaitly & Hinton's IRNN is an identity-initialised ReLU network
  if (scheme === "irnn" && o.nonlinearity === undefined && c.cell === "rnn") c.nonlinearity = "relu";
  if (o.bidirectional) c.bidirectional = true;
  if (o.shuffle === false) c.shuffle = false;
  if (typeof o.split === "string") c.split = parseSplit(o.split);
  return c as unknown as TrainConfig;
}

/** Every output is checked before training: writable, and none of them one of the inputs. */
function checkOutputs(o: { out?: string; plot?: string; data?: string; init?: string; resume?: string }): void {
  const inputs = [
    ["--data", o.data],
    ["--init", o.init],
    ["--resume", o.resume],
  ] as const;
  if (o.out !== undefined) checkOutput("--out", o.out, inputs);
  if (o.plot !== undefined) checkOutput("--plot", o.plot, [...inputs, ["--out", o.out]]);
}

/** runTraining with a progress bar, Ctrl-C (or --interrupt-after) writing a checkpoint; null when interrupted. */
async function trainWithProgress(
  prepared: Awaited<ReturnType<typeof prepare>>,
  cfg: TrainConfig,
  run: RunSetup,
  notes: string[],
  initialParams: Awaited<ReturnType<typeof readModel>>["params"] | undefined,
  o: Flags & { json?: true; interruptAfter?: number; checkpoint: string },
): Promise<(RunOutput & { gradients: GradientHistory | null }) | null> {
  const bar = progress(cfg.epochs, o.json ? "quiet" : process.stderr.isTTY ? "tty" : "plain");
  const gradients = o.plot ? new GradientHistory() : null; // for the plot's ‖∂L/∂hₜ‖ heatmap
  let interrupted = false;
  let batches = 0;
  const onSigint = () => {
    interrupted = true;
  };
  process.on("SIGINT", onSigint);
  const data = "csv" in run.source ? run.source.csv : null;
  try {
    const out = await runTraining(prepared, cfg, {
      preset: "preset" in run.source ? run.source.preset : null,
      protocol: run.protocol,
      notes,
      metadata: { data },
      ...(initialParams ? { initialParams } : {}),
      ...(run.resume ? { resume: run.resume.state } : {}),
      events: {
        onBatch: (b) => {
          batches++;
          bar.batch(b);
          gradients?.add(b);
        },
        onEpoch: (r) => bar.epoch(r),
        shouldStop: () => interrupted || (o.interruptAfter !== undefined && batches >= o.interruptAfter),
      },
    });
    bar.done();
    if (out.report !== null) return { ...out, gradients };
    // interrupted: a second Ctrl-C is still caught here, so the checkpoint is written whole
    const preset = "preset" in run.source ? run.source.preset : null;
    const ckpt = makeCheckpoint({
      preset,
      protocol: run.protocol,
      data,
      config: cfg,
      model: out.params.config,
      state: out.fit.state,
    });
    writeFileAtomic(o.checkpoint, `${JSON.stringify(ckpt)}\n`);
    const again = data ? ` --data ${data.file}` : "";
    process.stderr.write(
      `unrolled: ${out.fit.message}; checkpoint written to ${o.checkpoint} (continue with --resume ${o.checkpoint}${again})\n`,
    );
    process.exitCode = 130;
    return null;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

/** The report, the outputs (only for a run that did not fail), and the exit code. */
async function finish(
  out: RunOutput & { gradients: GradientHistory | null },
  prepared: Awaited<ReturnType<typeof prepare>>,
  o: { out?: string; plot?: string; json?: true },
): Promise<void> {
  const r = out.report;
  if (r === null) return;
  // a run that went non-finite is a failure: report it, but write no model or plot
  const failed = out.fit.stopReason === "non-finite" || out.fit.stopReason === "diverged";
  const split = reportSplit(prepared.task);
  const predictions =
    prepared.task.kind === "regression" ? (evaluateSplit(out.params, prepared.task, split).predictions ?? null) : null;
  // every output is made before any is written: a plot that fails leaves --out untouched
  const plot =
    o.plot && !failed
      ? await (await import("../plot.js")).renderPlot(o.plot, r, predictions, out.gradients?.columns() ?? [])
      : null;
  if (o.out && !failed) writeFileAtomic(o.out, serializeModel(out.params, out.sections));
  if (o.plot && plot !== null) writeFileAtomic(o.plot, plot);
  if (o.json)
    process.stdout.write(`${JSON.stringify({ ...r, model: failed ? null : (o.out ?? null), modelConfig: r.model })}\n`);
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
}
