/** Metric arithmetic on plain arrays. */
import type { ClassMetrics, RegressionMetrics } from "./task.js";

export function regressionMetrics(pred: ArrayLike<number>, actual: ArrayLike<number>): RegressionMetrics {
  let se = 0;
  let ae = 0;
  const n = actual.length;
  for (let i = 0; i < n; i++) {
    const d = (pred[i] as number) - (actual[i] as number);
    se += d * d;
    ae += Math.abs(d);
  }
  const mse = se / n;
  return { mse, rmse: Math.sqrt(mse), mae: ae / n };
}

/** From the summed −log p of the targets, the number right, and the count. */
export function classMetrics(
  nllSum: number | null,
  correct: number,
  count: number,
  withPerplexity = false,
): ClassMetrics {
  const loss = nllSum === null ? null : nllSum / count;
  return {
    loss,
    accuracy: correct / count,
    ...(withPerplexity ? { perplexity: loss === null ? null : Math.exp(loss) } : {}),
  };
}
