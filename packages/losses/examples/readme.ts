import { fromRows, toRows, zerosLike } from "@unrolled/linalg";
import { softmaxCrossEntropyBackward, softmaxCrossEntropyForward } from "@unrolled/losses";

const logits = fromRows([
  [2, 0, -1],
  [0.5, 0.5, 3],
]); // (N=2, C=3)
const { loss, cache } = softmaxCrossEntropyForward(logits, [0, 2]); // class indices
const dLogits = softmaxCrossEntropyBackward(cache, zerosLike(logits)); // += (p − onehot) / N
console.log(loss.toFixed(6));
console.log(toRows(dLogits).map((r) => r.map((v) => v.toFixed(4)).join(" ")));
