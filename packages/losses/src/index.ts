export { type BceCache, bceWithLogitsBackward, bceWithLogitsForward } from "./bce.js";
export {
  type ElementwiseLossCache,
  type HuberOptions,
  huberBackward,
  huberForward,
  type LossResult,
  maeBackward,
  maeForward,
  mseBackward,
  mseForward,
} from "./elementwise-loss.js";
export type { LossOptions, Reduced, Reduction } from "./reduction.js";
export {
  type ClassTarget,
  type SoftmaxCrossEntropyCache,
  softmaxCrossEntropyBackward,
  softmaxCrossEntropyForward,
} from "./softmax-cross-entropy.js";
