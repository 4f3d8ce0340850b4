/** φ and its derivative for the Elman cell's three nonlinearities; φ' is written from φ's output h. */
import { type FloatArray, sigmoidRange, tanhRange } from "@unrolled/linalg";
import type { Nonlinearity } from "../config.js";

/** h[hOff … hOff+n) = φ(a[aOff … aOff+n)). h may be a. */
export function phiRange(phi: Nonlinearity, a: FloatArray, aOff: number, h: FloatArray, hOff: number, n: number): void {
  if (phi === "tanh") tanhRange(a, aOff, h, hOff, n);
  else if (phi === "sigmoid") sigmoidRange(a, aOff, h, hOff, n);
  else for (let i = 0; i < n; i++) h[hOff + i] = Math.max(0, a[aOff + i] as number);
}

/**
 * One step of the backward through φ, over the m running elements at offset o of a step block of n:
 *   dh = up[o…] + dhNext           ∂L/∂hₜ from above at t, and from step t+1
 *   da[o…] = dh ⊙ φ'(aₜ)           with φ' written from hₜ = hs[o + n …]: tanh 1 − h², sigmoid h(1 − h), relu [h > 0]
 * Returns ‖dh‖². One loop per φ, so the branch is outside the loop.
 */
export function phiBackward(
  phi: Nonlinearity,
  da: FloatArray,
  up: FloatArray,
  dhNext: FloatArray,
  hs: FloatArray,
  o: number,
  m: number,
  n: number,
): number {
  let sq = 0;
  if (phi === "tanh") {
    for (let i = 0; i < m; i++) {
      const dh = (up[o + i] as number) + (dhNext[i] as number);
      const h = hs[o + n + i] as number;
      sq += dh * dh;
      da[o + i] = dh * (1 - h * h);
    }
  } else if (phi === "sigmoid") {
    for (let i = 0; i < m; i++) {
      const dh = (up[o + i] as number) + (dhNext[i] as number);
      const h = hs[o + n + i] as number;
      sq += dh * dh;
      da[o + i] = dh * (h * (1 - h));
    }
  } else {
    for (let i = 0; i < m; i++) {
      const dh = (up[o + i] as number) + (dhNext[i] as number);
      sq += dh * dh;
      da[o + i] = (hs[o + n + i] as number) > 0 ? dh : 0;
    }
  }
  return sq;
}
