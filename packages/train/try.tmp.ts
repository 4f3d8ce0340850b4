import { readDataset } from "@unrolled/datasets/node";
import { presetByName, runTraining } from "@unrolled/train";

const name = process.argv[2] ?? "sine";
const proto = process.argv[3] ?? "default";
const preset = presetByName(name);
const text = preset.dataset ? (await readDataset(preset.dataset)).text : null;
const cfg = proto === "tutorial" ? preset.tutorialConfig : preset.defaults;
const prepared = preset.prepare(text, cfg);
const t0 = performance.now();
let last = t0;
const out = await runTraining(prepared, cfg, {
  preset: name,
  protocol: proto as "default",
  events: {
    onEpoch: (r) => {
      if (performance.now() - last > 2000 || r.epoch === 1) {
        last = performance.now();
        console.log(
          `epoch ${r.epoch} train ${r.trainLoss.toFixed(5)} valid ${r.validLoss.toFixed(5)} ${JSON.stringify(r.validMetrics)} ${r.seconds.toFixed(2)}s`,
        );
      }
    },
  },
});
const r = out.report;
console.log(
  JSON.stringify(
    {
      stop: r.stopReason,
      msg: r.message,
      epochs: r.epochs,
      best: r.bestEpoch,
      seconds: r.seconds.toFixed(1),
      metrics: r.metrics,
      baselines: r.baselines,
    },
    null,
    0,
  ),
);
