/**
 * The one parameter spec: names and shapes, in the order of PyTorch's state_dict, for
 * `nn.RNN(D, H, num_layers, nonlinearity, bias, batch_first=True, bidirectional)` under the prefix
 * `rnn.` and `nn.Linear(H·dirs, O)` under `head.`. Allocation, validation of model files and the
 * shape table in docs/model-format.md all come from here, so they cannot disagree.
 *
 *   rnn.weight_ih_l{k}{_reverse}   (H, D_k)    D_0 = D, D_k = H·dirs for k > 0
 *   rnn.weight_hh_l{k}{_reverse}   (H, H)
 *   rnn.bias_ih_l{k}{_reverse}     (H)          only when bias
 *   rnn.bias_hh_l{k}{_reverse}     (H)          only when bias
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

/** Gates stacked in W_ih / W_hh: 1 for the Elman RNN (4 for LSTM, 3 for GRU). */
export const GATES = { rnn: 1 } as const;

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
