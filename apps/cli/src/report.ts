/** The end-of-training table: the model beside its baselines, in the data's own units. */
import { isClassification, isRegression, type Metrics, type Published, type TrainReport } from "@unrolled/train";
import * as asciichart from "asciichart";
import { table } from "./format.js";

const n = (v: number | null | undefined, digits = 4) =>
  v === null || v === undefined ? "—" : Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(digits);
const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

function row(name: string, m: Metrics | null, kind: TrainReport["task"]): string[] {
  if (m === null) return [name, "—", "—", "—"];
  if (isRegression(m)) return [name, n(m.mse), n(m.rmse), n(m.mae)];
  if (kind === "multilabel") return [name, n(m.loss), pct(m.accuracy)];
  return kind === "text"
    ? [name, n(m.loss), n(m.perplexity ?? null), pct(m.accuracy)]
    : [name, pct(m.accuracy), n(m.loss)];
}

const HEADERS: Readonly<Record<TrainReport["task"], (units: string) => string[]>> = {
  regression: () => ["", "MSE", "RMSE", "MAE"],
  text: () => ["", "nats/char", "perplexity", "accuracy"],
  classification: () => ["", "accuracy", "loss (nats)"],
  multilabel: (units) => ["", units || "loss (nats)", "labels right"],
};

const BASELINE_LABELS: Readonly<Record<TrainReport["task"], readonly [string, string, string]>> = {
  regression: ["persistence (last value)", "mean (training)", "linear (least squares)"],
  text: ["persistence (repeat)", "mean (unigram)", "linear (bigram)"],
  classification: ["persistence (repeat)", "mean (majority)", "linear (per input)"],
  multilabel: ["repeat the last step", "label frequencies", "linear"],
};

/** "RNN", "LSTM", "GRU": the cell, as the table's rows name the model. */
const cellName = (r: TrainReport) => (r.model.cell === "rnn" ? "RNN" : r.model.cell.toUpperCase());

/** The table and a one-line verdict. `single`: the data has one split (eval --data): no train/valid rows. */
export function formatReport(r: TrainReport, single = false): string {
  const split = r.evaluatedOn;
  const model = split === "test" ? r.metrics.test : r.metrics.valid;
  const [labels, name] = [BASELINE_LABELS[r.task], cellName(r)];
  const baselines = [
    row(labels[0], r.baselines.persistence, r.task),
    row(labels[1], r.baselines.mean, r.task),
    ...(r.task === "multilabel" && r.baselines.linear === null ? [] : [row(labels[2], r.baselines.linear, r.task)]),
  ];
  const others = single
    ? []
    : [
        ...(split === "test" ? [row(`${name}, valid`, r.metrics.valid, r.task)] : []), // else it repeats the headline
        row(`${name}, train`, r.metrics.train, r.task),
      ];
  const rows = [
    HEADERS[r.task](r.units),
    row(single ? name : `${name}, ${split}`, model, r.task),
    ...baselines,
    ...others,
  ];
  for (const p of r.published) rows.push(publishedRow(p, split));

  const units =
    r.task === "regression"
      ? r.units
        ? `MSE in (${r.units})², RMSE and MAE in ${r.units}`
        : "in the data's units"
      : r.units;
  const verdict = verdictOf(r, model);
  const run =
    r.epochs > 0 ? `; ${r.epochs} epochs in ${r.seconds.toFixed(1)} s${r.message ? ` (${r.message})` : ""}` : "";
  const c = r.cleaning;
  const cleaned = [
    c && c.dropped > 0 ? `${c.dropped} row${c.dropped > 1 ? "s" : ""} with bad or missing cells dropped` : "",
    c && c.filled > 0 ? `${c.filled} missing cell${c.filled > 1 ? "s" : ""} filled forward` : "",
  ].filter((x) => x !== "");
  return [
    `${r.preset ?? "model"} — ${single ? "every window of the data" : `${split} split`}, ${units}${run}`,
    ...(cleaned.length > 0 ? [`data: ${cleaned.join("; ")}`] : []),
    ...(r.result ? [resultLine(r.result)] : []),

    "",
    table(rows),
    "",
    verdict,
  ].join("\n");
}

function publishedRow(p: TrainReport["published"][number], split: string): string[] {
  return [`${p.model} ${p.parameters}, ${split} (${p.source})`, n(p.value), "—"];
}

function resultLine(c: NonNullable<TrainReport["result"]>): string {
  const seen = c.sequencesSeen.toLocaleString("en-US");
  const test = `${c.testWrong} of ${c.testTotal.toLocaleString("en-US")} test sequences wrong`;
  return c.solved
    ? `solved after ${seen} training sequences; ${test}`
    : `not solved in ${seen} training sequences; ${test}`;
}

function verdictOf(r: TrainReport, m: Metrics | null): string {
  if (!m) return "";
  const b = r.baselines;
  if (r.published.length > 0 && isClassification(m) && m.loss !== null) {
    // held against the same cell's rows where the source has them, else against every row
    const loss = m.loss;
    const cellRows = r.published.filter((p) => p.cell === r.model.cell);
    const same = cellRows.length > 0 ? cellRows : r.published;
    const label = (p: Published) => `${cellRows.length > 0 ? p.source.split(",")[0] : p.source} (${p.value})`;
    const beaten = same.filter((p) => loss <= p.value).map(label);
    const missed = same.filter((p) => loss > p.value).map(label);
    return `${cellName(r)} ${n(loss)} ${r.units}${beaten.length ? `: beats ${beaten.join(" and ")}` : ""}${missed.length ? `${beaten.length ? "; " : ": "}behind ${missed.join(" and ")}` : ""}.`;
  }
  if (isRegression(m) && isRegression(b.persistence) && isRegression(b.linear)) {
    const vsP = m.rmse / b.persistence.rmse;
    return `RNN RMSE is ${vsP.toFixed(3)}× persistence's${m.mse < b.linear.mse ? " and beats the linear baseline" : `; the linear baseline is ${((1 - b.linear.mse / m.mse) * 100).toFixed(1)}% lower in MSE`}.`;
  }
  if (isClassification(m) && isClassification(b.linear)) {
    const beats = m.loss !== null && b.linear.loss !== null && m.loss < b.linear.loss;
    return `RNN accuracy ${pct(m.accuracy)}; ${beats ? "beats" : "does not beat"} the ${r.task === "text" ? "bigram" : "per-input"} baseline in cross-entropy.`;
  }
  return "";
}

/** Predictions against actual values on a small terminal chart (the last `n` points). */
export function terminalChart(pred: Float64Array, actual: Float64Array, n = 72): string {
  const k = Math.min(n, pred.length);
  if (k < 2) return "";
  const a = Array.from(actual.subarray(actual.length - k));
  const p = Array.from(pred.subarray(pred.length - k));
  const color = process.stdout.isTTY === true;
  const chart = asciichart.plot([a, p], {
    height: 10,
    ...(color ? { colors: [undefined, asciichart.blue] } : {}),
    format: (x: number) => x.toPrecision(4).padStart(9),
  });
  const legend = color ? "actual (default colour), RNN prediction (blue)" : "actual and RNN prediction";
  return `${chart}\n  ${legend}: the last ${k} points of the split`;
}
