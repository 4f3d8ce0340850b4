/**
 * --plot FILE.svg|FILE.png: loss curves, predictions vs actual, and ‖∂L/∂hₜ‖ of the first layer over the
 * run (time steps down, batches across, log colour), rendered with vega-lite (and resvg for PNG).
 */
import { Resvg } from "@resvg/resvg-js";
import type { GradientColumn, TrainReport } from "@unrolled/train";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { CliError } from "./errors.js";

export async function renderPlot(
  path: string,
  r: TrainReport,
  predictions: { pred: Float64Array; actual: Float64Array } | null,
  gradients: readonly GradientColumn[] = [],
): Promise<string | Uint8Array> {
  const kind = path.toLowerCase().endsWith(".png") ? "png" : path.toLowerCase().endsWith(".svg") ? "svg" : null;
  if (!kind) throw new CliError(`--plot ${path}: expected a file name ending in .svg or .png`);
  const losses = r.history.flatMap((h) => [
    { epoch: h.epoch, loss: h.trainLoss, split: "train" },
    { epoch: h.epoch, loss: h.validLoss, split: "valid" },
  ]);
  const lossChart = {
    title: `${r.preset ?? "model"}: loss per epoch`,
    width: 360,
    height: 220,
    data: { values: losses },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "epoch", type: "quantitative" },
      y: { field: "loss", type: "quantitative", scale: { type: "log" }, title: "training loss (log)" },
      color: { field: "split", type: "nominal" },
    },
  };
  const charts: object[] = [lossChart];
  if (predictions) {
    const k = Math.min(300, predictions.pred.length);
    const off = predictions.pred.length - k;
    const values = Array.from({ length: k }, (_, i) => [
      { i: off + i, value: predictions.actual[off + i], series: "actual" },
      { i: off + i, value: predictions.pred[off + i], series: "RNN" },
    ]).flat();
    charts.push({
      title: `${r.evaluatedOn} split: prediction vs actual (${r.units || "data units"})`,
      width: 480,
      height: 220,
      data: { values },
      mark: "line",
      encoding: {
        x: { field: "i", type: "quantitative", title: "window" },
        y: { field: "value", type: "quantitative", scale: { zero: false }, title: r.units || "value" },
        color: { field: "series", type: "nominal" },
      },
    });
  }
  const rows: object[] = [{ hconcat: charts }];
  if (gradients.length > 0) rows.push(gradientChart(gradients));
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    vconcat: rows,
    resolve: { scale: { color: "independent" } },
    background: "white",
  } as unknown as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  if (kind === "svg") return svg;
  return new Resvg(svg, { fitTo: { mode: "width", value: 1100 }, font: { loadSystemFonts: true } }).render().asPng();
}

/** At most this many rows of time steps in the heatmap (longer sequences are averaged in groups). */
const MAX_ROWS = 100;

/** ‖∂L/∂hₜ‖ as a heatmap: one column per kept batch, one row per step (or group of steps), log colour. */
function gradientChart(columns: readonly GradientColumn[]): object {
  const T = columns.reduce((m, c) => Math.max(m, c.norms.length), 0);
  const group = Math.max(1, Math.ceil(T / MAX_ROWS));
  const values: { batch: number; t: number; norm: number }[] = [];
  columns.forEach((c, col) => {
    for (let t0 = 0; t0 < c.norms.length; t0 += group) {
      const part = c.norms.slice(t0, t0 + group).filter((v) => v > 0 && Number.isFinite(v));
      if (part.length > 0) values.push({ batch: col, t: t0, norm: part.reduce((a, b) => a + b, 0) / part.length });
    }
  });
  const last = columns[columns.length - 1]?.batch ?? 0;
  return {
    title: `‖∂L/∂hₜ‖, first layer: time step t down, training batches 1 … ${last} across (log colour)`,
    width: 720,
    height: 240,
    data: { values },
    mark: { type: "rect" },
    encoding: {
      x: { field: "batch", type: "ordinal", axis: null },
      y: {
        field: "t",
        type: "ordinal",
        title: group > 1 ? `t (groups of ${group})` : "t",
        axis: { labelOverlap: true },
      },
      color: { field: "norm", type: "quantitative", scale: { type: "log", scheme: "viridis" }, title: "‖∂L/∂hₜ‖" },
    },
  };
}
