/**
 * `unrolled export` and `unrolled import`: a model file to ONNX or safetensors and back
 * (docs/interop.md). The formats live in @unrolled/interop; this file only reads and writes files.
 */
import type { Command } from "@commander-js/extra-typings";
import { exportOnnx, importOnnx, modelFromSafetensors, modelToSafetensors, partTensors } from "@unrolled/interop";
import { ConfigError, FormatError } from "@unrolled/linalg";
import { type ModelConfig, serializeModel } from "@unrolled/rnn-core";
import { CliError } from "../errors.js";
import { checkOutput, readBytes, readJson, writeFileAtomic } from "../io.js";
import { readModel } from "../model-io.js";
import { choice } from "../options.js";

const FORMATS = ["onnx", "safetensors"] as const;
type Format = (typeof FORMATS)[number];

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const describe = (c: ModelConfig) =>
  `${c.numLayers}-layer ${c.bidirectional ? "bidirectional " : ""}${c.cell.toUpperCase()} (D=${c.inputSize} H=${c.hiddenSize} O=${c.head.outputSize}, many-to-${c.returnSequences ? "many" : "one"})`;

export function registerExport(program: Command): void {
  program
    .command("export")
    .description("write a model as ONNX (runs in ONNX Runtime) or as PyTorch-named safetensors weights")
    .requiredOption("--model <file>", "model file (JSON, format version 1)")
    .requiredOption("--format <format>", "onnx or safetensors", choice(FORMATS))
    .requiredOption("--out <file>", "where to write (replaced atomically)")
    .option(
      "--dtype <dtype>",
      "safetensors element type: float32 (PyTorch's default) or float64",
      choice(["float32", "float64"] as const),
      "float32" as const,
    )
    .option("--logits", "onnx: leave out the head's softmax/sigmoid (output the linear head)")
    .option(
      "--sequence-lengths",
      "onnx: add an int32 input sequence_lens (batch) for padded sequences of different lengths",
    )
    .option(
      "--part <part>",
      "safetensors: model (rnn.… and head.…), or rnn / head alone under nn.LSTM's / nn.Linear's own names",
      choice(["model", "rnn", "head"] as const),
      "model" as const,
    )
    .action((o) => {
      checkOutput("--out", o.out, [["--model", o.model]]);
      const { params, sections } = readModel(o.model);
      const c = params.config;
      if (o.format === "onnx") {
        if (o.part !== "model") throw new CliError("--part applies to safetensors only: ONNX holds the whole model");
        const bytes = exportOnnx(params, {
          activation: o.logits !== true,
          sections,
          sequenceLengths: o.sequenceLengths === true,
        });
        writeFileAtomic(o.out, bytes);
        const y = c.returnSequences ? "(batch, seq, O)" : "(batch, O)";
        const lens = o.sequenceLengths ? " and sequence_lens (batch) int32" : "";
        console.log(
          `wrote ${o.out}: ONNX opset 14, ${describe(c)}, ${kb(bytes.length)}; input x (batch, seq, D) float32${lens} → output y ${y}`,
        );
      } else {
        const bytes = modelToSafetensors(params, {
          dtype: o.dtype === "float64" ? "F64" : "F32",
          sections,
          part: o.part,
        });
        writeFileAtomic(o.out, bytes);
        const n = partTensors(params, o.part).length;
        const names = {
          model: "PyTorch's state_dict names",
          rnn: `nn.${c.cell.toUpperCase()}'s own names`,
          head: "nn.Linear's own names",
        };
        console.log(
          `wrote ${o.out}: safetensors, ${n} tensors (${o.dtype}) under ${names[o.part]}, ${describe(c)}, ${kb(bytes.length)}`,
        );
      }
    });
}

function formatOf(path: string, given: Format | undefined): Format {
  if (given !== undefined) return given;
  if (/\.onnx$/i.test(path)) return "onnx";
  if (/\.safetensors$/i.test(path)) return "safetensors";
  throw new CliError(`cannot tell the format of ${path}: name it *.onnx or *.safetensors, or pass --format`);
}

/** A config from --config: a bare config object, or a model file whose config is used. */
function readConfig(path: string): unknown {
  const json = readJson(path, "config file");
  if (typeof json === "object" && json !== null && "format" in json && "config" in json) return json.config;
  return json;
}

export function registerImport(program: Command): void {
  program
    .command("import")
    .description("read ONNX (written by `unrolled export`) or safetensors (also PyTorch's) into a model file")
    .requiredOption("--from <file>", "model.onnx or weights.safetensors")
    .option(
      "--config <file>",
      "JSON model config (required for safetensors written by PyTorch; see docs/model-format.md)",
    )
    .option("--format <format>", "onnx or safetensors (default: from the file name)", choice(FORMATS))
    .requiredOption("--out <file>", "model file to write (JSON)")
    .action((o) => {
      checkOutput("--out", o.out, [
        ["--from", o.from],
        ["--config", o.config],
      ]);
      const format = formatOf(o.from, o.format);
      const bytes = readBytes(o.from, `${format} file`);
      const config = o.config === undefined ? undefined : readConfig(o.config);
      let model: ReturnType<typeof importOnnx>;
      try {
        if (format === "onnx") {
          if (config !== undefined)
            throw new CliError("--config applies to safetensors only: an ONNX export carries its config");
          model = importOnnx(bytes);
        } else model = modelFromSafetensors(bytes, config);
      } catch (e) {
        if (FormatError.isInstance(e)) throw new CliError(`${o.from}: ${e.message}`);
        if (ConfigError.isInstance(e)) throw new CliError(`${o.config}: ${e.message}`); // the --config file
        throw e;
      }
      writeFileAtomic(o.out, serializeModel(model.params, model.sections));
      console.log(
        `wrote ${o.out}: ${describe(model.params.config)}, ${model.params.flat.length.toLocaleString("en-US")} parameters from ${o.from}`,
      );
    });
}
