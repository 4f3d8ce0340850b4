/** Range checks for hyperparameters: every optimizer validates at construction, with one clear message. */
import { ConfigError } from "@unrolled/linalg";

export function positive(owner: string, name: string, v: number): number {
  if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v))
    throw new ConfigError(`${owner}: ${name} must be > 0, got ${v}`);
  return v;
}

export function nonNegative(owner: string, name: string, v: number): number {
  if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v))
    throw new ConfigError(`${owner}: ${name} must be ≥ 0, got ${v}`);
  return v;
}

/** A coefficient in [0, 1) such as a momentum or a beta. */
export function unitInterval(owner: string, name: string, v: number): number {
  if (typeof v !== "number" || !(v >= 0 && v < 1))
    throw new ConfigError(`${owner}: ${name} must be in [0, 1), got ${v}`);
  return v;
}

export function flag(owner: string, name: string, v: boolean): boolean {
  if (typeof v !== "boolean") throw new ConfigError(`${owner}: ${name} must be true or false, got ${String(v)}`);
  return v;
}
