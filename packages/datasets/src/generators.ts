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

/**
 * One sequence of the adding problem (Hochreiter & Schmidhuber 1997, Experiment 4): L pairs
 * (value ~ U(−1, 1), marker), L uniform in [T, T + ⌊T/10⌋]. Two pairs are marked 1: X₁ among the first
 * 10, X₂ among the first ⌊T/2⌋ − 1 not yet marked; the first and the last pair are marked −1 unless
 * marked 1 (a marked first pair has X₁ = 0, its value set to 0). Target 0.5 + (X₁ + X₂) / 4, in [0, 1].
 * Returns x (L, 2) row-major as [value, marker] pairs.
 */
export function addingSequence(T: number, rng: Rng): { x: Float64Array; length: number; target: number } {
  if (!Number.isInteger(T) || T < 20) throw new ConfigError(`addingSequence: T must be an integer ≥ 20, got ${T}`);
  const L = T + rng.int(0, Math.floor(T / 10) + 1);
  const x = new Float64Array(L * 2);
  for (let t = 0; t < L; t++) x[2 * t] = rng.uniform(-1, 1);
  const first = rng.int(0, 10);
  const n = Math.floor(T / 2) - 1; // X₂ is among pairs 0 … n − 1, skipping the one marked
  let second = rng.int(0, first < n ? n - 1 : n);
  if (first < n && second >= first) second++;
  x[1] = -1;
  x[2 * (L - 1) + 1] = -1;
  for (const t of [first, second]) x[2 * t + 1] = 1;
  if (first === 0 || second === 0) x[0] = 0; // a marked first pair: X₁ = 0
  return { x, length: L, target: 0.5 + ((x[2 * first] as number) + (x[2 * second] as number)) / 4 };
}
