/** `unrolled datasets`: the registry, and where each file is found. */
import type { Command } from "@commander-js/extra-typings";
import { DATASETS, datasetInfo } from "@unrolled/datasets";
import { resolveDataset } from "@unrolled/datasets/node";
import { PRESETS } from "@unrolled/train";
import { CliError } from "../errors.js";
import { table } from "../format.js";

export function registerDatasets(program: Command): void {
  const ds = program
    .command("datasets")
    .description("list the tutorial datasets and presets; `datasets info NAME` for one");
  ds.command("list", { isDefault: true })
    .description("every dataset and preset")
    .option("--json", "as JSON")
    .action((o) => {
      if (o.json) {
        process.stdout.write(
          `${JSON.stringify({ datasets: DATASETS, presets: PRESETS.map((p) => ({ name: p.name, dataset: p.dataset, tutorial: p.tutorial, description: p.description, goal: p.goal })) })}\n`,
        );
        return;
      }
      const datasets = DATASETS.map((d) => [d.name, d.file, d.units, String(d.rows), d.description]);
      console.log(table([["dataset", "file", "units", "rows", "what"], ...datasets], "lllrl"));
      const presets = PRESETS.map((p) => [p.name, p.dataset ?? "generated", p.tutorial ?? "—", p.description]);
      console.log(`\n${table([["preset", "data", "tutorial", "what"], ...presets], "llll")}`);
    });
  ds.command("info")
    .description("one dataset: its source, checksum, licence, and where the file was found")
    .argument("<name>", "dataset name")
    .option("--json", "as JSON")
    .action(async (name, o) => {
      const info = datasetInfo(name);
      if (!info) throw new CliError(`unknown dataset "${name}"; available: ${DATASETS.map((d) => d.name).join(", ")}`);
      let found: string;
      try {
        const r = await resolveDataset(name, { download: false });
        found = `${r.path} (${r.source}, sha256 verified)`;
      } catch (e) {
        found = `not found locally: ${(e as Error).message}`;
      }
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ ...info, found })}\n`);
        return;
      }
      for (const [k, v] of [
        ["name", info.name],
        ["file", info.file],
        ["what", info.description],
        ["columns", info.columns.join(", ") || "(text)"],
        ["rows", String(info.rows)],
        ["units", info.units],
        ["source", info.url],
        ["sha256", info.sha256],
        ["licence", info.licence],
        ["tutorial", info.tutorial ?? "—"],
        ["found", found],
      ]) {
        console.log(`${(k as string).padEnd(9)} ${v}`);
      }
    });
}
