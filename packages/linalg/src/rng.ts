/**
 * A seeded pseudo-random number generator: xoshiro128** (Blackman & Vigna), seeded through
 * splitmix32. Every initialiser, shuffler and sampler in Unrolled takes one of these explicitly;
 * nothing calls Math.random. Its whole state is four 32-bit words, so `getState()` / `Rng.fromState()`
 * let a resumed training run continue the exact same random stream.
 */
import { ConfigError, FormatError } from "./errors.js";

export interface RngState {
  readonly algorithm: "xoshiro128**";
  readonly state: readonly [number, number, number, number];
}

const TWO_POW_32 = 4294967296;

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Seeds from any safe integer (negative and ≥ 2³² seeds are allowed and distinct). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new ConfigError(`Rng: seed must be a safe integer, got ${seed}`);
    // splitmix32 over both 32-bit halves of the seed fills the four state words.
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32) | 0, 0x9e3779b9);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** The next 32 random bits as an unsigned integer in [0, 2³²). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Normal with the given mean and standard deviation (Box–Muller; one draw per call). */
  normal(mean = 0, std = 1): number {
    const u1 = 1 - this.next(); // (0, 1], so log(u1) is finite
    const u2 = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A uniform integer in [lo, hi) without modulo bias. */
  int(lo: number, hi: number): number {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi <= lo) {
      throw new ConfigError(`Rng.int: need integers lo < hi, got [${lo}, ${hi})`);
    }
    const n = hi - lo;
    if (n <= TWO_POW_32) {
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let r = this.nextUint32();
      while (r >= limit) r = this.nextUint32();
      return lo + (r % n);
    }
    return lo + Math.floor(this.next() * n);
  }

  /** Shuffles `a` in place (Fisher–Yates) and returns it. */
  shuffle<T, A extends { length: number; [i: number]: T }>(a: A): A {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const t = a[i] as T;
      a[i] = a[j] as T;
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0 … n−1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** Fills `out` with uniform values in [lo, hi). */
  fillUniform<A extends { length: number; [i: number]: number }>(out: A, lo = 0, hi = 1): A {
    for (let k = 0; k < out.length; k++) out[k] = this.uniform(lo, hi);
    return out;
  }

  /** Fills `out` with normal values. */
  fillNormal<A extends { length: number; [i: number]: number }>(out: A, mean = 0, std = 1): A {
    for (let k = 0; k < out.length; k++) out[k] = this.normal(mean, std);
    return out;
  }

  /** An independent generator seeded from this one's stream (advances this one). */
  fork(): Rng {
    return new Rng(this.nextUint32() * 2097152 + (this.nextUint32() >>> 11));
  }

  /** The whole state; `Rng.fromState(rng.getState())` continues the identical stream. */
  getState(): RngState {
    return { algorithm: "xoshiro128**", state: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0] };
  }

  static fromState(s: unknown): Rng {
    const st = s as Partial<RngState> | null;
    const words = st?.state;
    if (
      st?.algorithm !== "xoshiro128**" ||
      !Array.isArray(words) ||
      words.length !== 4 ||
      !words.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32) ||
      words.every((w) => w === 0)
    ) {
      throw new FormatError(
        'Rng.fromState: expected {"algorithm": "xoshiro128**", "state": [4 uint32 words, not all 0]}',
      );
    }
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = words as [number, number, number, number];
    return r;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A new generator seeded with `seed`. */
export function createRng(seed: number): Rng {
  return new Rng(seed);
}
