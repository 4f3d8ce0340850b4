/**
 * Per-column scalers, fitted on the training rows only (fitting on all the data leaks the future into
 * the past, one of the tutorials' mistakes), with inverse transforms and JSON (de)serialization.
 *
 *   standard: z = (x − mean) / std      (population std, as scikit-learn's StandardScaler)
 *   minmax:   z = (x − min) / (max − min)   into [0, 1] (MinMaxScaler)
 *   none:     z = x
 * A constant column gets a scale of 1, so it maps to 0 instead of dividing by zero.
 */
import { ConfigError, DataError, FormatError } from "@unrolled/linalg";

export type ScalerKind = "standard" | "minmax" | "none";
export const SCALER_KINDS: readonly ScalerKind[] = ["standard", "minmax", "none"];

/** z = (x − shift) / scale, per column. */
export interface Scaler {
  readonly kind: ScalerKind;
  readonly shift: readonly number[];
  readonly scale: readonly number[];
}

/** Fits one scaler per column on rows [0, fitRows) of each column. */
export function fitScaler(kind: ScalerKind, columns: readonly Float64Array[], fitRows: number): Scaler {
  if (!SCALER_KINDS.includes(kind))
    throw new ConfigError(`scaler: kind must be one of ${SCALER_KINDS.join(", ")}, got ${JSON.stringify(kind)}`);
  if (fitRows < 1) throw new DataError("scaler: no training rows to fit on");
  const shift: number[] = [];
  const scale: number[] = [];
  for (const col of columns) {
    const x = col.subarray(0, fitRows);
    if (kind === "none") {
      shift.push(0);
      scale.push(1);
    } else if (kind === "standard") {
      let mean = 0;
      for (const v of x) mean += v;
      mean /= x.length;
      let ss = 0;
      for (const v of x) ss += (v - mean) ** 2;
      const std = Math.sqrt(ss / x.length);
      shift.push(mean);
      scale.push(std > 0 ? std : 1);
    } else {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const v of x) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      shift.push(lo);
      scale.push(hi > lo ? hi - lo : 1);
    }
  }
  return { kind, shift, scale };
}

/** New scaled copies of the columns. */
export function transform(s: Scaler, columns: readonly Float64Array[]): Float64Array[] {
  return columns.map((col, k) => col.map((v) => (v - (s.shift[k] as number)) / (s.scale[k] as number)));
}

/** x = z·scale + shift for column k (a single value). */
export function inverseValue(s: Scaler, k: number, z: number): number {
  return z * (s.scale[k] as number) + (s.shift[k] as number);
}

/** z for column k (a single value). */
export function transformValue(s: Scaler, k: number, x: number): number {
  return (x - (s.shift[k] as number)) / (s.scale[k] as number);
}

/** Validates a scaler read from a file. */
export function scalerFromJson(v: unknown, columns: number, where = "scaler"): Scaler {
  const o = v as Partial<Scaler> | null;
  const ok =
    o !== null &&
    typeof o === "object" &&
    SCALER_KINDS.includes(o.kind as ScalerKind) &&
    Array.isArray(o.shift) &&
    Array.isArray(o.scale) &&
    o.shift.length === columns &&
    o.scale.length === columns &&
    o.shift.every((x) => typeof x === "number" && Number.isFinite(x)) &&
    o.scale.every((x) => typeof x === "number" && Number.isFinite(x) && x > 0);
  if (!ok)
    throw new FormatError(
      `${where}: expected {"kind": "standard"|"minmax"|"none", "shift": [${columns} numbers], "scale": [${columns} numbers > 0]}`,
    );
  return { kind: o.kind as ScalerKind, shift: [...(o.shift as number[])], scale: [...(o.scale as number[])] };
}
