/** Synthetic data: the sine series, modular counting sequences and random walks. All seeded. */
import { ConfigError, type Rng } from "@unrolled/linalg";

/** sin(phase + step·t) · amplitude for t = 0 … n−1 (the sine tutorial: sin(0 … 199), step 1). */
export function sineSeries(n: number, opts: { step?: number; phase?: number; amplitude?: number } = {}): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`sineSeries: n must be an integer ≥ 1, got ${n}`);
  const { step = 1, phase = 0, amplitude = 1 } = opts;
  return Float64Array.from({ length: n }, (_, t) => amplitude * Math.sin(phase + step * t));
}

/**
 * `count` sequences of `length` random digits in [0, m); the target at every step is (digit + 1) mod m
 * (the mod-3 tutorial with m = 3). Returns digits and targets, each (count·length) row-major.
 */
export function modularSequences(
  count: number,
  length: number,
  modulus: number,
  rng: Rng,
): { digits: Int32Array; targets: Int32Array } {
  for (const [name, v, min] of [
    ["count", count, 1],
    ["length", length, 1],
    ["modulus", modulus, 2],
  ] as const) {
    if (!Number.isInteger(v) || v < min)
      throw new ConfigError(`modularSequences: ${name} must be an integer ≥ ${min}, got ${v}`);
  }
  const digits = new Int32Array(count * length);
  for (let i = 0; i < digits.length; i++) digits[i] = rng.int(0, modulus);
  return { digits, targets: digits.map((d) => (d + 1) % modulus) };
}

/** A Gaussian random walk: x₀ = start, xₜ = xₜ₋₁ + drift + σ·ε. */
export function randomWalk(
  n: number,
  rng: Rng,
  opts: { start?: number; drift?: number; sigma?: number } = {},
): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`randomWalk: n must be an integer ≥ 1, got ${n}`);
  const { start = 0, drift = 0, sigma = 1 } = opts;
  const x = new Float64Array(n);
  x[0] = start;
  for (let t = 1; t < n; t++) x[t] = (x[t - 1] as number) + drift + sigma * rng.normal();
  return x;
}

/** One-hot encodes symbols in [0, V) into (N·V) row-major floats. */
export function oneHot(symbols: ArrayLike<number>, V: number): Float64Array {
  const out = new Float64Array(symbols.length * V);
  for (let i = 0; i < symbols.length; i++) out[i * V + (symbols[i] as number)] = 1;
  return out;
}
