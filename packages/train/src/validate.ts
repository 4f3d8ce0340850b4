/**
 * The rules every option and configuration field of this package is checked by, in the library's
 * own words: `config.batchSize must be an integer ≥ 1, got 0`, `options.lr must be a number > 0,
 * got "0.01" (a string)`. The CLI translates field names to its flags (`--batch`); nothing here
 * mentions a flag.
 */
import { ConfigError } from "@unrolled/linalg";

/** A value as a message shows it: numbers and strings as written, with the type when it is not a number. */
export function describe(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return `${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)} (a string)`;
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === "object" ? "an object" : `${String(v)} (a ${typeof v})`;
}

/** A safe integer in [min, max] (min −∞: any). */
export function checkInt(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) {
    const range = max < Number.MAX_SAFE_INTEGER ? ` in [${min}, ${max}]` : min > -Infinity ? ` ≥ ${min}` : "";
    throw new ConfigError(`${name} must be an integer${range}, got ${describe(v)}`);
  }
  return v;
}

/** A finite number > 0, or ≥ 0 with allowZero. */
export function checkPositive(name: string, v: unknown, allowZero = false): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0))
    throw new ConfigError(`${name} must be a number ${allowZero ? "≥ 0" : "> 0"}, got ${describe(v)}`);
  return v;
}

/** A finite number in [lo, hi) (or [lo, hi] when `closed`). */
export function checkRange(name: string, v: unknown, lo: number, hi: number, closed = false): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < lo || v > hi || (!closed && v === hi))
    throw new ConfigError(`${name} must be a number in [${lo}, ${hi}${closed ? "]" : ")"}, got ${describe(v)}`);
  return v;
}

/** One of the allowed strings. */
export function checkChoice<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T))
    throw new ConfigError(`${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${describe(v)}`);
  return v as T;
}

/** true or false. */
export function checkBoolean(name: string, v: unknown): boolean {
  if (typeof v !== "boolean") throw new ConfigError(`${name} must be true or false, got ${describe(v)}`);
  return v;
}

/** The fields a training configuration and the fit loop's options share, under the same names. */
export interface LoopFields {
  readonly epochs: number;
  readonly batchSize: number;
  readonly patience: number;
  readonly minDelta?: number;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly truncate?: number;
  readonly seed: number;
  readonly batchesPerEpoch?: number;
  /** Dense inputs: zero each input value with this probability while training, scaling the rest by 1/(1 − p). */
  readonly inputDropout?: number;
}

/** Limits on what a file or a flag may ask the fit loop for (docs/model-format.md). */
export const LOOP_LIMITS = { epochs: 1_000_000, batchSize: 1 << 20 } as const;

/** Checks the fields of the fit loop; `where` prefixes each name ("config.", "options."). */
export function checkLoopFields(where: string, o: LoopFields): void {
  checkInt(`${where}epochs`, o.epochs, 1, LOOP_LIMITS.epochs);
  checkInt(`${where}batchSize`, o.batchSize, 1, LOOP_LIMITS.batchSize);
  checkInt(`${where}patience`, o.patience, 0);
  if (o.minDelta !== undefined) checkPositive(`${where}minDelta`, o.minDelta, true);
  if (o.clipNorm !== undefined) checkPositive(`${where}clipNorm`, o.clipNorm);
  if (o.clipValue !== undefined) checkPositive(`${where}clipValue`, o.clipValue);
  if (o.truncate !== undefined) checkInt(`${where}truncate`, o.truncate, 1);
  if (o.batchesPerEpoch !== undefined) checkInt(`${where}batchesPerEpoch`, o.batchesPerEpoch, 1);
  if (o.inputDropout !== undefined) checkRange(`${where}inputDropout`, o.inputDropout, 0, 1);
  checkInt(`${where}seed`, o.seed, Number.NEGATIVE_INFINITY);
}
