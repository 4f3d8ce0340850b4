import { describe, expect, it } from "vitest";
import { allocFast } from "./backend/select.js";
import {
  type GruStepBuffers,
  gruStepBackward,
  gruStepForward,
  type LstmStepBuffers,
  lstmStepBackward,
  lstmStepForward,
} from "./gates.js";
import type { FloatArray } from "./matrix.js";
import { packedLength, packedRight, packRight } from "./packed.js";
import { createRng } from "./rng.js";

// The fused steps' backward against central finite differences of their own forward, in float32 (the
// only dtype they run in; rnn-core's cells.test.ts also holds whole models to float64). One step, loss
// L = Σ w ⊙ hₜ (+ Σ v ⊙ cₜ for the LSTM), differentiated with respect to every input the step's backward
// returns a gradient for. 5 rows: the product, then the elementwise pass; 16 rows: one fused task.

const H = 8;
const EPS = 1e-2; // float32: a step this large keeps rounding (≈1e-7 · Σ|terms|) well under the tolerance
const f32 = (n: number, seed: number, scale = 1): Float32Array => {
  const x = allocFast("float32", n);
  createRng(seed).fillUniform(x, -scale, scale);
  return x;
};
const dot = (a: FloatArray, b: FloatArray, n: number, off = 0): number => {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[off + i] as number) * (b[i] as number);
  return s;
};

/** (analytic, numeric) for every coordinate of x: L's central difference against the backward's value. */
function check(x: FloatArray, grad: FloatArray, L: () => number): void {
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i] as number;
    x[i] = x0 + EPS;
    const up = L();
    x[i] = x0 - EPS;
    const down = L();
    x[i] = x0;
    const numeric = (up - down) / (2 * EPS);
    expect(Math.abs((grad[i] as number) - numeric), `coordinate ${i}: ${grad[i]} vs ${numeric}`).toBeLessThan(
      3e-3 + 1e-2 * Math.abs(numeric),
    );
  }
}

describe("lstmStepForward / lstmStepBackward match finite differences", () => {
  for (const B of [5, 16]) {
    it(`B=${B}: ∂L/∂z, ∂L/∂hₜ₋₁ and ∂L/∂cₜ₋₁`, () => {
      const n = B * H;
      const W_hh = f32(4 * H * H, 1, 0.5);
      const [z0, h0, c0, w, v] = [f32(4 * n, 2), f32(n, 3), f32(n, 4), f32(n, 5), f32(n, 6)];
      const W = packedRight(allocFast("float32", Math.max(packedLength(H, 4 * H), packedLength(4 * H, H))));
      const s: LstmStepBuffers = {
        B,
        H,
        W,
        gates: allocFast("float32", 4 * n),
        hs: allocFast("float32", 2 * n),
        cs: allocFast("float32", 2 * n),
        tanhC: allocFast("float32", n),
        dz: allocFast("float32", 4 * n),
        dh: allocFast("float32", n),
        dhNext: allocFast("float32", n),
        dcNext: allocFast("float32", n),
      };
      const L = () => {
        s.gates.set(z0); // the input's share; the step adds hₜ₋₁·W_hhᵀ and overwrites it with the gates
        s.hs.set(h0);
        s.cs.set(c0);
        packRight(W, H, 4 * H, W_hh, 0, true, B);
        expect(lstmStepForward(s, 0, B)).toBe(true);
        return dot(s.hs, w, n, n) + dot(s.cs, v, n, n);
      };
      L();
      packRight(W, 4 * H, H, W_hh, 0, false, B);
      s.dh.set(w);
      s.dcNext.set(v);
      s.dhNext.fill(99); // overwritten, not added to (it holds the step before's ∂L/∂hₜ₋₁ in BPTT)
      expect(lstmStepBackward(s, 0, B)).toBe(true);
      const [dz, dh0, dc0] = [s.dz.slice(), s.dhNext.slice(), s.dcNext.slice()];
      check(z0, dz, L);
      check(h0, dh0, L);
      check(c0, dc0, L);
    });
  }
});

describe("gruStepForward / gruStepBackward match finite differences", () => {
  for (const B of [5, 16]) {
    it(`B=${B}: ∂L/∂aᵢ, ∂L/∂hₜ₋₁, and ∂L/∂b_hh as Σ rows ∂L/∂aₕ`, () => {
      const n = B * H;
      const W_hh = f32(3 * H * H, 1, 0.5);
      const [a0, h0, b_hh, w] = [f32(3 * n, 2), f32(n, 3), f32(3 * H, 4), f32(n, 5)];
      const W = packedRight(allocFast("float32", Math.max(packedLength(H, 3 * H), packedLength(3 * H, H))));
      const buffers = {
        B,
        H,
        W,
        gates: allocFast("float32", 3 * n),
        ah: allocFast("float32", 3 * n),
        ahn: allocFast("float32", n),
        hs: allocFast("float32", 2 * n),
        dai: allocFast("float32", 3 * n),
        dah: allocFast("float32", 3 * n),
        dh: allocFast("float32", n),
        dhNext: allocFast("float32", n),
      };
      const L = () => {
        buffers.gates.set(a0);
        buffers.hs.set(h0);
        packRight(W, H, 3 * H, W_hh, 0, true, B);
        expect(gruStepForward({ ...buffers, b_hh } satisfies GruStepBuffers, 0, B)).toBe(true);
        return dot(buffers.hs, w, n, n);
      };
      L();
      packRight(W, 3 * H, H, W_hh, 0, false, B);
      buffers.dh.set(w);
      buffers.dhNext.fill(99); // overwritten by dh ⊙ z first, then the product is added
      expect(gruStepBackward({ ...buffers, b_hh: null }, 0, B)).toBe(true);
      const [dai, dh0] = [buffers.dai.slice(), buffers.dhNext.slice()];
      const db = new Float32Array(3 * H); // aₕ = hₜ₋₁·W_hhᵀ + b_hh on every row
      for (let r = 0; r < B; r++)
        for (let j = 0; j < 3 * H; j++) db[j] = (db[j] as number) + (buffers.dah[r * 3 * H + j] as number);
      check(a0, dai, L);
      check(h0, dh0, L);
      check(b_hh, db, L);
    });
  }
});
