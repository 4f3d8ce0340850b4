/** Option parsers shared by every command: each rejects bad values with one clear line. */
import { InvalidArgumentError } from "@commander-js/extra-typings";

export const int =
  (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) =>
  (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        `expected an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ""}${max < Number.MAX_SAFE_INTEGER ? ` and ≤ ${max}` : ""}, got "${v}"`,
      );
    }
    return n;
  };

/** A flag's description with its limit, as --help shows it: "hidden units (at most 1,048,576)". */
export const atMost = (description: string, max: number): string =>
  `${description} (at most ${max.toLocaleString("en-US")})`;

/** A finite number > 0 (or ≥ 0 with allowZero). */
export const positive =
  (allowZero = false) =>
  (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
      throw new InvalidArgumentError(`expected a number ${allowZero ? "≥ 0" : "> 0"}, got "${v}"`);
    }
    return n;
  };

export const choice =
  <T extends string>(allowed: readonly T[]) =>
  (v: string): T => {
    if (!allowed.includes(v as T)) throw new InvalidArgumentError(`expected one of ${allowed.join(", ")}, got "${v}"`);
    return v as T;
  };

export const DTYPES = ["float64", "float32"] as const;

/** A probability in [0, 1) (dropout). */
export const fraction = (v: string): number => {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0 || n >= 1)
    throw new InvalidArgumentError(`expected a number in [0, 1), got "${v}"`);
  return n;
};
