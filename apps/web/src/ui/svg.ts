/** A small SVG line chart: enough for loss curves and predictions, with no chart library. */

export interface Series {
  readonly name: string;
  readonly points: readonly [number, number][];
  readonly color: string;
  readonly dashed?: boolean;
  readonly width?: number;
}

export interface ChartOptions {
  readonly width: number;
  readonly height: number;
  readonly logY?: boolean;
  readonly xLabel?: string;
  readonly yLabel?: string;
}

const NS = "http://www.w3.org/2000/svg";
const el = (tag: string, attrs: Record<string, string | number>, text?: string) => {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
};
const fmt = (v: number) =>
  Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : v.toPrecision(3);

/** Redraws `svg` with the series; empty series are skipped. */
export function drawLines(svg: SVGSVGElement, series: readonly Series[], o: ChartOptions): void {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${o.width} ${o.height}`);
  const pad = { l: 52, r: 8, t: 8, b: 28 };
  const tf = (y: number) => (o.logY ? Math.log10(Math.max(y, 1e-12)) : y);
  const all = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y) && (!o.logY || y > 0));
  if (all.length === 0) return;
  let [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...all.map((p) => tf(p[1]))), Math.max(...all.map((p) => tf(p[1])))];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const X = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * (o.width - pad.l - pad.r);
  const Y = (y: number) => o.height - pad.b - ((tf(y) - y0) / (y1 - y0)) * (o.height - pad.t - pad.b);
  svg.append(
    el("rect", {
      x: pad.l,
      y: pad.t,
      width: o.width - pad.l - pad.r,
      height: o.height - pad.t - pad.b,
      fill: "#fafafa",
      stroke: "#ddd",
    }),
  );
  for (let i = 0; i <= 4; i++) {
    const v = y0 + ((y1 - y0) * i) / 4;
    const y = o.height - pad.b - (i / 4) * (o.height - pad.t - pad.b);
    svg.append(
      el(
        "text",
        { x: pad.l - 4, y: y + 4, "text-anchor": "end", "font-size": 10, fill: "#555" },
        fmt(o.logY ? 10 ** v : v),
      ),
    );
  }
  svg.append(el("text", { x: pad.l, y: o.height - 8, "font-size": 10, fill: "#555" }, `${fmt(x0)}`));
  svg.append(
    el(
      "text",
      { x: o.width - pad.r, y: o.height - 8, "text-anchor": "end", "font-size": 10, fill: "#555" },
      `${fmt(x1)}${o.xLabel ? ` ${o.xLabel}` : ""}`,
    ),
  );
  series.forEach((s, i) => {
    const pts = s.points.filter(([, y]) => Number.isFinite(y) && (!o.logY || y > 0));
    if (pts.length === 0) return;
    const d = pts.map(([x, y], k) => `${k === 0 ? "M" : "L"}${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join("");
    svg.append(
      el("path", {
        d,
        fill: "none",
        stroke: s.color,
        "stroke-width": s.width ?? 1.5,
        ...(s.dashed ? { "stroke-dasharray": "5 3" } : {}),
      }),
    );
    svg.append(el("text", { x: pad.l + 6, y: pad.t + 12 + 12 * i, "font-size": 10, fill: s.color }, s.name));
  });
}
