/** `unrolled generate`: sample text from a character model. */
import type { Command } from "@commander-js/extra-typings";
import { vocabularyFromJson } from "@unrolled/datasets";
import { createRng } from "@unrolled/linalg";
import { generateText } from "@unrolled/train";
import { CliError } from "../errors.js";
import { CLI_LIMITS } from "../limits.js";
import { readModel } from "../model-io.js";
import { atMost, int, positive } from "../options.js";

export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description("sample text from a character model (e.g. train --preset shakespeare --out m.json)")
    .requiredOption("--model <file>", "a character model file (with a vocabulary)")
    .option(
      "--length <n>",
      atMost("characters to generate", CLI_LIMITS.generateLength),
      int(1, CLI_LIMITS.generateLength),
      500,
    )
    .option("--temperature <t>", "softmax temperature (< 1 safer, > 1 wilder)", positive(), 0.8)
    .option("--top-k <k>", "sample among the k most likely characters only", int(1))
    .option("--prime <text>", "text to read before generating", "\n")
    .option("--seed <n>", "sampling seed", int(), 0)
    .action((o) => {
      const { params, sections } = readModel(o.model);
      if (sections.vocabulary === undefined)
        throw new CliError(
          `${o.model}: no vocabulary section; generate needs a character model (train --preset shakespeare)`,
        );
      let vocab: ReturnType<typeof vocabularyFromJson>;
      try {
        vocab = vocabularyFromJson(sections.vocabulary);
      } catch (e) {
        throw new CliError(`${o.model}: ${(e as Error).message}`);
      }
      const text = generateText(params, vocab, {
        length: o.length,
        temperature: o.temperature,
        ...(o.topK ? { topK: o.topK } : {}),
        prime: o.prime,
        rng: createRng(o.seed),
      });
      process.stdout.write(`${o.prime}${text}\n`);
    });
}
