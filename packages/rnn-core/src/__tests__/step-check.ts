/**
 * Test helper: gradient-checks one cell step (forward + backward) with respect to every weight, the
 * input x and the incoming states, using a random linear loss L = Σ w ⊙ (each output of the step).
 */
import { checkGradients, type GradCheckReport } from "@unrolled/gradcheck";
import { createRng, dot, type FloatArray, fromArray, type Matrix } from "@unrolled/linalg";
import { type CellKind, modelConfig } from "../config.js";
import { initParams } from "../params/init.js";
import { allocateParams, type CellParams, cellAt, paramsFromFlat } from "../params/params.js";

export interface StepUnderTest {
  /** Forward one step; returns the step's outputs (h, and c for the LSTM) and an opaque cache. */
  forward(
    p: CellParams,
    x: Matrix<FloatArray>,
    states: Matrix<FloatArray>[],
  ): { outputs: Matrix<FloatArray>[]; cache: unknown };
  /** Backward given ∂L/∂outputs; accumulates into grads and dx, writes ∂L/∂states into dStates. */
  backward(
    p: CellParams,
    cache: unknown,
    dOutputs: Matrix<FloatArray>[],
    grads: CellParams,
    dx: Matrix<FloatArray>,
    dStates: Matrix<FloatArray>[],
  ): void;
  /** Number of incoming states (1, or 2 for the LSTM). */
  readonly states: number;
}

export function checkStep(
  cell: CellKind,
  B: number,
  D: number,
  H: number,
  step: StepUnderTest,
  seed = 7,
): GradCheckReport {
  const config = modelConfig({ cell, inputSize: D, hiddenSize: H, head: { outputSize: 1, activation: "identity" } });
  const rng = createRng(seed);
  const p = initParams(allocateParams(config), { rng, scheme: "normal", std: 0.6, biases: "same" });
  const P = p.flat.length;
  const S = step.states;
  const at = new Float64Array(P + B * D + S * B * H);
  at.set(p.flat);
  rng.fillNormal(at.subarray(P));
  const ws = Array.from({ length: S }, () => fromArray(rng.fillNormal(new Float64Array(B * H)), B, H));
  const split = (t: Float64Array) => ({
    cell: cellAt(paramsFromFlat(config, t.subarray(0, P)), 0, 0),
    x: fromArray(t.subarray(P, P + B * D), B, D),
    states: Array.from({ length: S }, (_, s) =>
      fromArray(t.subarray(P + B * D + s * B * H, P + B * D + (s + 1) * B * H), B, H),
    ),
  });
  const f = (t: Float64Array) => {
    const { cell: c, x, states } = split(t);
    return step.forward(c, x, states).outputs.reduce((sum, o, i) => sum + dot(o, ws[i] as Matrix<FloatArray>), 0);
  };
  const grad = (t: Float64Array) => {
    const { cell: c, x, states } = split(t);
    const { cache } = step.forward(c, x, states);
    const g = new Float64Array(t.length);
    const gc = cellAt(paramsFromFlat(config, g.subarray(0, P)), 0, 0);
    const dx = fromArray(new Float64Array(B * D), B, D);
    const dStates = Array.from({ length: S }, () => fromArray(new Float64Array(B * H), B, H));
    step.backward(c, cache, ws, gc, dx, dStates);
    g.set(dx.data, P);
    for (const [s, d] of dStates.entries()) g.set(d.data, P + B * D + s * B * H);
    return g;
  };
  const names = [
    ...p.slots.map((s) => ({ name: s.name, shape: s.shape })),
    { name: "x", shape: [B, D] },
    ...Array.from({ length: S }, (_, s) => ({ name: s === 0 ? "hPrev" : "cPrev", shape: [B, H] })),
  ];
  return checkGradients({ f, grad, at, names, rng: createRng(1) });
}
