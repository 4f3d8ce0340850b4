/** Small text-formatting helpers for human-readable output. */

/** A table (first row is the header). `align` has one letter per column, l or r (default: l, then r). */
export function table(rows: readonly (readonly string[])[], align = "l"): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  const pad = (cell: string, c: number) =>
    (align[c] ?? "r") === "l" ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0);
  return rows.map((r) => r.map(pad).join("  ").trimEnd()).join("\n");
}

/** ▁▂▃▄▅▆▇█ for a series, scaled to its own maximum (log scale, so vanishing gradients stay visible). */
export function sparkline(values: readonly number[]): string {
  const bars = "▁▂▃▄▅▆▇█";
  const logs = values.map((v) => (v > 0 ? Math.log10(v) : Number.NEGATIVE_INFINITY));
  const finite = logs.filter(Number.isFinite);
  if (finite.length === 0) return " ".repeat(values.length);
  const hi = Math.max(...finite);
  const lo = Math.min(...finite, hi - 1e-9);
  return logs.map((l) => (Number.isFinite(l) ? (bars[Math.round(((l - lo) / (hi - lo)) * 7)] ?? "█") : " ")).join("");
}

export const sci = (v: number): string => v.toExponential(3);
