/**
 * Test helper: gradient-checks a whole model (forward + loss + BPTT) with respect to every parameter,
 * the input x and the initial states h0 (and c0 for an LSTM) at once.
 */
import { checkGradients, type GradCheckReport } from "@unrolled/gradcheck";
import { createRng, fromArray, tensor3 } from "@unrolled/linalg";
import { directions, type ModelConfig } from "../config.js";
import { backprop, type LossKind, lossAndGradient, maskPadding, type Target } from "../model/loss.js";
import { modelForward } from "../model/model.js";
import { initParams } from "../params/init.js";
import { allocateParams, paramsFromFlat } from "../params/params.js";

export const B = 2;
const T_DEFAULT = 4;

/** With `lengths`, the sequences of the batch are that long (the rest is padding). */
export function checkModel(
  config: ModelConfig,
  kind: LossKind,
  opts: { seed?: number; lengths?: number[]; T?: number } = {},
): GradCheckReport {
  const T = opts.T ?? T_DEFAULT;
  const rng = createRng(opts.seed ?? 5);
  const p = initParams(allocateParams(config), { rng, scheme: "normal", std: 0.5, biases: "same" });
  const { inputSize: D, hiddenSize: H } = config;
  const S = config.numLayers * directions(config);
  const states = config.cell === "lstm" ? 2 : 1;
  const O = config.head.outputSize;
  const N = config.returnSequences ? B * T : B;
  const P = p.flat.length;
  const at = new Float64Array(P + B * T * D + states * S * B * H);
  at.set(p.flat);
  rng.fillNormal(at.subarray(P));
  const values = kind === "bce" ? rng.fillUniform(new Float64Array(N * O)) : rng.fillNormal(new Float64Array(N * O));
  const target: Target = kind === "ce" ? Array.from({ length: N }, () => rng.int(0, O)) : fromArray(values, N, O);
  const X = P + B * T * D;
  const split = (t: Float64Array) => ({
    q: paramsFromFlat(config, t.subarray(0, P)),
    x: tensor3(B, T, D, t.subarray(P, X)),
    h0: tensor3(S, B, H, t.subarray(X, X + S * B * H)),
    ...(states === 2 ? { c0: tensor3(S, B, H, t.subarray(X + S * B * H)) } : {}),
  });
  const lengths = opts.lengths ? { lengths: opts.lengths } : {};
  const spec = maskPadding(config, { kind }, [B, T], opts.lengths);
  const f = (t: Float64Array) => {
    const { q, x, ...init } = split(t);
    return lossAndGradient(config, modelForward(q, x, { ...init, ...lengths }).y, target, spec).loss;
  };
  const grad = (t: Float64Array) => {
    const { q, x, ...init } = split(t);
    const g = allocateParams(config);
    const r = backprop(q, x, target, { kind }, g, { ...init, ...lengths });
    const out = new Float64Array(t.length);
    out.set(g.flat);
    out.set(r.dx?.data ?? [], P);
    out.set(r.dh0.data, X);
    if (r.dc0) out.set(r.dc0.data, X + S * B * H);
    return out;
  };
  const names = [
    ...p.slots.map((s) => ({ name: s.name, shape: s.shape })),
    { name: "x", shape: [B, T, D] },
    { name: "h0", shape: [S, B, H] },
    ...(states === 2 ? [{ name: "c0", shape: [S, B, H] }] : []),
  ];
  return checkGradients({ f, grad, at, names, rng: createRng(0) });
}
