import { readDataset } from "@unrolled/datasets/node";
import { presetByName, runTraining } from "@unrolled/train";

const preset = presetByName("shakespeare");
const text = (await readDataset("shakespeare")).text;
const cfg = {
  ...preset.defaults,
  hidden: Number(process.argv[2] ?? 256),
  batchesPerEpoch: Number(process.argv[3] ?? 20),
  epochs: Number(process.argv[4] ?? 1),
};
const prepared = preset.prepare(text, cfg);
const t0 = performance.now();
let n = 0;
const out = await runTraining(prepared, cfg, {
  events: {
    onBatch: (b) => {
      n++;
      if (n % 10 === 0)
        console.log(`batch ${n} loss ${b.loss.toFixed(3)} ${((performance.now() - t0) / n).toFixed(0)} ms/batch`);
    },
    onEpoch: (r) => console.log(`epoch ${r.epoch} valid ${r.validLoss.toFixed(4)} (${r.seconds.toFixed(1)}s)`),
  },
});
console.log(
  JSON.stringify(out.report.metrics.valid),
  JSON.stringify(out.report.baselines),
  out.report.seconds.toFixed(1),
);
