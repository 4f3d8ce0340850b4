/** --plot FILE.svg|FILE.png: loss curves and predictions vs actual, rendered with vega-lite (and resvg for PNG). */
import { Resvg } from "@resvg/resvg-js";
import type { TrainReport } from "@unrolled/train";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { CliError } from "./errors.js";
import { writeFileAtomic } from "./io.js";

export async function writePlot(
  path: string,
  r: TrainReport,
  predictions: { pred: Float64Array; actual: Float64Array } | null,
): Promise<void> {
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
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    hconcat: charts,
    resolve: { scale: { color: "independent" } },
    background: "white",
  } as unknown as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  if (kind === "svg") writeFileAtomic(path, svg);
  else
    writeFileAtomic(
      path,
      new Resvg(svg, { fitTo: { mode: "width", value: 1100 }, font: { loadSystemFonts: true } }).render().asPng(),
    );
}
