/** φ and its backward for the three cell nonlinearities; the backward reads φ's output h, not aₜ. */
import {
  type FloatArray,
  type Matrix,
  reluBackwardInto,
  reluInto,
  sigmoidBackwardInto,
  sigmoidInto,
  tanhBackwardInto,
  tanhInto,
} from "@unrolled/linalg";
import type { Nonlinearity } from "../config.js";

/** h = φ(a). `h` may alias `a`. */
export function phiInto(phi: Nonlinearity, h: Matrix<FloatArray>, a: Matrix<FloatArray>): void {
  if (phi === "tanh") tanhInto(h, a);
  else if (phi === "relu") reluInto(h, a);
  else sigmoidInto(h, a);
}

/** da = dh ⊙ φ'(a), written from h = φ(a): tanh 1 − h², relu [h > 0], sigmoid h(1 − h). */
export function phiBackwardInto(
  phi: Nonlinearity,
  da: Matrix<FloatArray>,
  dh: Matrix<FloatArray>,
  h: Matrix<FloatArray>,
): void {
  if (phi === "tanh") tanhBackwardInto(da, dh, h);
  else if (phi === "relu") reluBackwardInto(da, dh, h);
  else sigmoidBackwardInto(da, dh, h);
}
