import { isRegression, presetByName, runTraining } from "@unrolled/train";

const sine = presetByName("sine"); // its data is generated: no file needed
const cfg = { ...sine.defaults, hidden: 8, epochs: 20 };
const { report } = await runTraining(sine.prepare(null, cfg), cfg); // seeded: the same every run
if (!report) throw new Error("interrupted");
const { metrics, baselines, evaluatedOn } = report;
const rmse = (m: typeof baselines.mean | null) => (isRegression(m) ? m.rmse.toFixed(4) : "-");
console.log(evaluatedOn, "RMSE", rmse(metrics.valid), "vs persistence", rmse(baselines.persistence));
