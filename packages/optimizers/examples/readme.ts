import { clipGradNorm, createOptimizer } from "@unrolled/optimizers";

// minimise f(θ) = Σ (θ_k − k)² with Adam; the gradient is 2(θ − k)
const [theta, grad] = [new Float64Array(3), new Float64Array(3)];
const adam = createOptimizer({ kind: "adam", lr: 0.1 }, theta.length);
for (let step = 0; step < 500; step++) {
  for (const [k, v] of theta.entries()) grad[k] = 2 * (v - k); // the caller owns and fills grads
  clipGradNorm(grad, 5); // clipping is a separate, explicit call; it returns the norm before
  adam.step(theta, grad); // never zeroes or clips grads by itself
}
console.log(Array.from(theta, (v) => v.toFixed(3)).join(" "), "after", adam.t, "steps");
