/** Chronological splits: consecutive blocks of rows, never shuffled, so no future leaks into training. */
import { ConfigError } from "@unrolled/linalg";

export interface Range {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

export interface Splits {
  readonly train: Range;
  readonly valid: Range;
  readonly test: Range;
}

/**
 * Splits n rows by fractions (train, valid, test), like `np.split(data, [int(.7n), int(.85n)])`:
 * boundaries are floor(n·f₁) and floor(n·(f₁+f₂)) ("ceil" rounds them up, as the GOOGL tutorial's
 * math.ceil). Fractions must be ≥ 0 with a positive train share and a sum ≤ 1 (+1e-9).
 */
export function chronologicalSplits(
  n: number,
  fractions: readonly [number, number, number],
  rounding: "floor" | "ceil" = "floor",
): Splits {
  const [a, b, c] = fractions;
  if (![a, b, c].every((f) => Number.isFinite(f) && f >= 0) || !(a > 0) || a + b + c > 1 + 1e-9) {
    throw new ConfigError(`split: fractions must be ≥ 0 with train > 0 and a sum ≤ 1, got ${fractions.join(",")}`);
  }
  // a 1e-9 nudge so that 0.7 + 0.15 = 0.8499999… still lands on the boundary the decimals mean
  const round = (x: number) => (rounding === "ceil" ? Math.ceil(x - 1e-9) : Math.floor(x + 1e-9));
  const t = round(n * a);
  const v = round(n * (a + b));
  const end = Math.abs(a + b + c - 1) < 1e-9 ? n : round(n * (a + b + c));
  return { train: { start: 0, end: t }, valid: { start: t, end: v }, test: { start: v, end } };
}

/** Parses "0.7,0.15,0.15" (two numbers mean no test split). */
export function parseSplit(text: string): [number, number, number] {
  const parts = text.split(",").map((s) => Number(s.trim()));
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !Number.isFinite(p))) {
    throw new ConfigError(`split: expected "train,valid,test" fractions such as 0.7,0.15,0.15, got "${text}"`);
  }
  return [parts[0] as number, parts[1] as number, parts[2] ?? 0];
}
