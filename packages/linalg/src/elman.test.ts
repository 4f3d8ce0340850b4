import { afterEach, describe, expect, it } from "vitest";
import { allocFast, setBackend } from "./backend/select.js";
import { type ElmanPhi, elmanBackward, elmanForward, SMALL_STEP } from "./elman.js";
import type { FloatArray } from "./matrix.js";
import { packedLength, packedRight, packRight } from "./packed.js";
import { createRng } from "./rng.js";

// The whole-sequence Elman kernels against the maths: the forward against a float64 loop, the backward
// against central finite differences of that loop, for L = Σₜ wₜ · hₜ (so ∂L/∂hₜ from above is wₜ).
// H = 5: one vector of four columns and a scalar one; H = 8: two vectors.

const T = 6;
const phis: Readonly<Record<ElmanPhi, (a: number) => number>> = {
  tanh: Math.tanh,
  sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  relu: (a) => Math.max(0, a),
};

function fast(n: number, seed: number, scale: number): Float32Array {
  const x = allocFast("float32", n);
  createRng(seed).fillUniform(x, -scale, scale);
  return x;
}

/** hₜ for t = 1 … T in float64 from the input shares a (T·B, H), h₀ and W_hh (H, H). */
function reference(phi: ElmanPhi, B: number, H: number, a: ArrayLike<number>, h0: ArrayLike<number>, W_hh: FloatArray) {
  const hs = new Float64Array((T + 1) * B * H);
  hs.set(Array.from(h0));
  for (let t = 0; t < T; t++)
    for (let i = 0; i < B; i++)
      for (let j = 0; j < H; j++) {
        let s = a[(t * B + i) * H + j] as number;
        for (let p = 0; p < H; p++) s += (hs[(t * B + i) * H + p] as number) * (W_hh[j * H + p] as number);
        hs[((t + 1) * B + i) * H + j] = phis[phi](s);
      }
  return hs;
}

function problem(phi: ElmanPhi, B: number, H: number) {
  const n = B * H;
  const W_hh = fast(H * H, 1, 0.6);
  const [a, h0, w] = [fast(T * n, 2, 1), fast(n, 3, 1), fast(T * n, 4, 1)];
  const W = packedRight(allocFast("float32", packedLength(H, H)));
  const hs = allocFast("float32", (T + 1) * n);
  const aOut = allocFast("float32", T * n);
  const run = () => {
    aOut.set(a);
    hs.set(h0);
    packRight(W, H, H, W_hh, 0, true, B);
    return elmanForward(T, B, H, phi, aOut, hs, W);
  };
  const L = (a64: ArrayLike<number>, h064: ArrayLike<number>) => {
    const h = reference(phi, B, H, a64, h064, W_hh);
    let s = 0;
    for (let i = 0; i < T * n; i++) s += (w[i] as number) * (h[n + i] as number);
    return s;
  };
  return { n, W_hh, a, h0, w, W, hs, aOut, run, L };
}

afterEach(() => setBackend("wasm"));

describe("elmanForward / elmanBackward (the whole recurrence in one call)", () => {
  for (const phi of ["tanh", "sigmoid", "relu"] as const)
    for (const [B, H] of [
      [1, 5],
      [3, 8],
    ] as const) {
      it(`${phi}, B=${B}, H=${H}: hₜ as the float64 loop; ∂L/∂aₜ, ∂L/∂h₀ and ‖∂L/∂hₜ‖ as its finite differences`, () => {
        const pr = problem(phi, B, H);
        const { n } = pr;
        expect(pr.run()).toBe(true);
        const h64 = reference(phi, B, H, pr.a, pr.h0, pr.W_hh);
        for (let i = 0; i < pr.hs.length; i++)
          expect(Math.abs((pr.hs[i] as number) - (h64[i] as number))).toBeLessThan(1e-5);

        const [da, dhNext] = [allocFast("float32", T * n), allocFast("float32", n)];
        packRight(pr.W, H, H, pr.W_hh, 0, false, B);
        const norms = new Float64Array(T);
        expect(elmanBackward(T, B, H, phi, [da, pr.w, dhNext, pr.hs], pr.W, norms, 0)).toBe(true);

        const eps = 1e-6;
        const diff = (x: Float64Array, i: number, f: () => number) => {
          const x0 = x[i] as number;
          x[i] = x0 + eps;
          const up = f();
          x[i] = x0 - eps;
          const down = f();
          x[i] = x0;
          return (up - down) / (2 * eps);
        };
        const [a64, h064] = [Float64Array.from(pr.a), Float64Array.from(pr.h0)];
        const L = () => pr.L(a64, h064);
        for (let i = 0; i < T * n; i++) expect(Math.abs((da[i] as number) - diff(a64, i, L))).toBeLessThan(1e-4);
        for (let i = 0; i < n; i++) expect(Math.abs((dhNext[i] as number) - diff(h064, i, L))).toBeLessThan(1e-4);
        if (phi === "tanh") {
          // ∂L/∂hₜ = ∂L/∂aₜ / (1 − hₜ²)
          for (let t = 0; t < T; t++) {
            let sq = 0;
            for (let i = 0; i < n; i++) {
              const h = h64[(t + 1) * n + i] as number;
              sq += (diff(a64, t * n + i, L) / (1 - h * h)) ** 2;
            }
            expect(Math.abs((norms[t] as number) - Math.sqrt(sq))).toBeLessThan(1e-3 * Math.max(1, Math.sqrt(sq)));
          }
        }
      });
    }

  it("truncation every 2 steps: ∂L/∂h₀ only from the first chunk, as if the state were cut at t = 2 and 4", () => {
    const [B, H] = [1, 5];
    const pr = problem("tanh", B, H);
    pr.run();
    const [da, dhNext] = [allocFast("float32", T * pr.n), allocFast("float32", pr.n)];
    packRight(pr.W, H, H, pr.W_hh, 0, false, B);
    const [whole, cut] = [allocFast("float32", T * pr.n), allocFast("float32", pr.n)];
    elmanBackward(T, B, H, "tanh", [whole, pr.w, cut, pr.hs], pr.W, new Float64Array(T), 0);
    elmanBackward(T, B, H, "tanh", [da, pr.w, dhNext, pr.hs], pr.W, new Float64Array(T), 2);
    expect(Array.from(dhNext)).toEqual([0, 0, 0, 0, 0]); // t = 0 is a chunk boundary too
    // the last chunk (t = 4, 5) is untouched by the cut; the steps before it lose what came from after
    expect(Array.from(da.subarray(4 * H))).toEqual(Array.from(whole.subarray(4 * H)));
    expect(Array.from(da.subarray(0, 4 * H))).not.toEqual(Array.from(whole.subarray(0, 4 * H)));
  });

  it("declines, so that the caller's loop runs: float64, the TypeScript backend, a step over SMALL_STEP, a weight in panels", () => {
    const pr = problem("tanh", 1, 5);
    const W64 = packedRight(new Float64Array(25));
    packRight(W64, 5, 5, Float64Array.from(pr.W_hh), 0, true, 1);
    expect(elmanForward(T, 1, 5, "tanh", new Float64Array(T * 5), new Float64Array((T + 1) * 5), W64)).toBe(false);
    setBackend("js");
    expect(pr.run()).toBe(false);
    setBackend("wasm");
    const H = Math.ceil(Math.sqrt(SMALL_STEP + 1));
    const big = packedRight(allocFast("float32", packedLength(H, H)));
    packRight(big, H, H, fast(H * H, 5, 1), 0, true, 1);
    expect(elmanForward(1, 1, H, "tanh", allocFast("float32", H), allocFast("float32", 2 * H), big)).toBe(false);
    const panels = packedRight(allocFast("float32", packedLength(4, 4)));
    packRight(panels, 4, 4, fast(16, 6, 1), 0, true, 16);
    expect(panels.panels).toBe(true);
    expect(elmanForward(1, 16, 4, "tanh", allocFast("float32", 64), allocFast("float32", 128), panels)).toBe(false);
  });
});
