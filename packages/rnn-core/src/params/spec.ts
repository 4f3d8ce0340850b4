/**
 * The one parameter spec: names and shapes, in the order of PyTorch's state_dict, for
 * `nn.RNN | nn.LSTM | nn.GRU(D, H, num_layers, bias=…, batch_first=True, bidirectional=…)` under the prefix
 * `rnn.` and `nn.Linear(H·dirs, O)` under `head.`. Allocation, validation of model files and the
 * shape table in docs/model-format.md all come from here, so they cannot disagree.
 *
 *   rnn.weight_ih_l{k}{_reverse}   (G·H, D_k)  D_0 = D, D_k = H·dirs for k > 0; G gates (1, 4, 3)
 *   rnn.weight_hh_l{k}{_reverse}   (G·H, H)
 *   rnn.bias_ih_l{k}{_reverse}     (G·H)        only when bias
 *   rnn.bias_hh_l{k}{_reverse}     (G·H)        only when bias
 *   head.weight                    (O, H·dirs)
 *   head.bias                      (O)
 */
import { directions, type ModelConfig } from "../config.js";

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** Which cell weight this is, for the structured views. */
  readonly role: "W_ih" | "W_hh" | "b_ih" | "b_hh" | "W_hy" | "b_y";
  readonly layer: number;
  /** 0 forward, 1 reverse; -1 for the head. */
  readonly dir: number;
}

/** Gates stacked in W_ih / W_hh: 1 for the Elman RNN, 4 for the LSTM (i, f, g, o), 3 for the GRU (r, z, n). */
export const GATES = { rnn: 1, lstm: 4, gru: 3 } as const;

export function paramSpec(c: ModelConfig): ParamSpec[] {
  const H = c.hiddenSize;
  const G = GATES[c.cell];
  const dirs = directions(c);
  const spec: ParamSpec[] = [];
  for (let layer = 0; layer < c.numLayers; layer++) {
    const Din = layer === 0 ? c.inputSize : H * dirs;
    for (let dir = 0; dir < dirs; dir++) {
      const sfx = `_l${layer}${dir === 1 ? "_reverse" : ""}`;
      spec.push({ name: `rnn.weight_ih${sfx}`, shape: [G * H, Din], role: "W_ih", layer, dir });
      spec.push({ name: `rnn.weight_hh${sfx}`, shape: [G * H, H], role: "W_hh", layer, dir });
      if (c.bias) {
        spec.push({ name: `rnn.bias_ih${sfx}`, shape: [G * H], role: "b_ih", layer, dir });
        spec.push({ name: `rnn.bias_hh${sfx}`, shape: [G * H], role: "b_hh", layer, dir });
      }
    }
  }
  spec.push({ name: "head.weight", shape: [c.head.outputSize, H * dirs], role: "W_hy", layer: -1, dir: -1 });
  spec.push({ name: "head.bias", shape: [c.head.outputSize], role: "b_y", layer: -1, dir: -1 });
  return spec;
}

/** Total number of parameters. */
export function countParams(c: ModelConfig): number {
  return paramSpec(c).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

/**
 * The largest hidden size whose model has at most `budget` parameters, other settings as `c`: how an
 * LSTM or GRU is sized to compare fairly with an Elman RNN ("the same number of parameters").
 */
export function hiddenSizeForBudget(c: ModelConfig, budget: number): number {
  let lo = 1;
  let hi = 1;
  while (countParams({ ...c, hiddenSize: hi * 2 }) <= budget && hi < 1 << 20) hi *= 2;
  hi *= 2;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (countParams({ ...c, hiddenSize: mid }) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
