/** Heatmaps on a canvas: one cell per value, coloured on a sequential or diverging scale. */

export interface HeatmapOptions {
  /** "sequential" (0 → max, for norms; log10 when `log`) or "diverging" (−max … +max, for weights and states). */
  readonly scale: "sequential" | "diverging";
  readonly log?: boolean;
}

function sequential(t: number): [number, number, number] {
  // dark blue → teal → yellow (a viridis-like ramp)
  const stops: [number, number, number][] = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const x = Math.min(Math.max(t, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2);
  const f = x - i;
  const [a, b] = [stops[i] as [number, number, number], stops[i + 1] as [number, number, number]];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

function diverging(t: number): [number, number, number] {
  // blue (−) → white (0) → red (+)
  const u = Math.min(Math.max(t, -1), 1);
  return u < 0 ? [255 + u * 200, 255 + u * 120, 255] : [255, 255 - u * 180, 255 - u * 200];
}

/** Draws `rows` × `cols` values (row-major) to fill the canvas. */
export function drawHeatmap(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  o: HeatmapOptions,
): void {
  const ctx = canvas.getContext("2d");
  if (!ctx || rows === 0 || cols === 0) return;
  const img = ctx.createImageData(cols, rows);
  const tf = (v: number) => (o.log ? Math.log10(Math.max(v, 1e-12)) : v);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < rows * cols; k++) {
    const v = values[k] as number;
    if (!Number.isFinite(v) || (o.log && v <= 0)) continue;
    lo = Math.min(lo, tf(v));
    hi = Math.max(hi, tf(v));
  }
  const maxAbs = Math.max(Math.abs(lo), Math.abs(hi), 1e-12);
  for (let k = 0; k < rows * cols; k++) {
    const v = values[k] as number;
    const ok = Number.isFinite(v) && !(o.log && v <= 0);
    const [r, g, b] = !ok
      ? [230, 230, 230]
      : o.scale === "diverging"
        ? diverging(v / maxAbs)
        : sequential(hi > lo ? (tf(v) - lo) / (hi - lo) : 0.5);
    img.data.set([r, g, b, 255], 4 * k);
  }
  const tmp = document.createElement("canvas");
  tmp.width = cols;
  tmp.height = rows;
  tmp.getContext("2d")?.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(tmp, 0, 0, canvas.width, canvas.height);
}
