/**
 * `unrolled`: the command-line face of the packages. Thin on purpose: parse flags, read and validate
 * files, call package functions, print. Errors are one line on stderr with a non-zero exit code.
 */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { enableRelaxedSimd, setBackend, setThreads } from "@unrolled/linalg";
import pkg from "../package.json" with { type: "json" };
import { registerBackprop } from "./commands/backprop.js";
import { registerBench } from "./commands/bench.js";
import { registerDatasets } from "./commands/datasets.js";
import { registerEval } from "./commands/eval.js";
import { registerForecast } from "./commands/forecast.js";
import { registerGenerate } from "./commands/generate.js";
import { registerGradcheck } from "./commands/gradcheck.js";
import { registerExport, registerImport } from "./commands/interop.js";
import { registerPredict } from "./commands/predict.js";
import { registerTrain } from "./commands/train.js";
import { report } from "./errors.js";
import { choice, int } from "./options.js";

const BACKENDS = ["wasm", "js"] as const;

// float32 products with fused multiply-add: Node 20 has relaxed SIMD behind a V8 flag, which must be
// set before the kernels are compiled (on first use)
enableRelaxedSimd();

// `unrolled predict … | head` closes the pipe early: that is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

const program = new Command()
  .name("unrolled")
  .description("Recurrent neural networks from scratch: exact BPTT, PyTorch-compatible weights.")
  .version(pkg.version)
  .option(
    "--backend <kernels>",
    "wasm (WebAssembly SIMD, the default where it loads) or js (TypeScript)",
    choice(BACKENDS),
  )
  .option("--threads <n>", "threads for large matrix products (default: the cores, at most 4)", int(1, 64))
  .exitOverride()
  .hook("preAction", () => {
    const o = program.opts();
    if (o.backend) setBackend(o.backend);
    if (o.threads) setThreads(o.threads);
  });
// commander's own usage errors, as one line like ours: "unrolled: unknown option '--x' (see --help)"
program.configureOutput({
  outputError: (s, write) =>
    write(
      `${s
        .replace(/^error: /, "unrolled: ")
        .trimEnd()
        .replace(/\n/g, "; ")} (see --help)\n`,
    ),
});

registerTrain(program);
registerEval(program);
registerForecast(program);
registerGenerate(program);
registerDatasets(program);

registerBackprop(program);
registerPredict(program);
registerGradcheck(program);
registerExport(program);
registerImport(program);
registerBench(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode;
  else process.exitCode = report(e);
}
