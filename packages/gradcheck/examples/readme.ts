import { checkGradients } from "@unrolled/gradcheck";

// f(w, b) = (w·x + b − y)², with a bug: the analytic gradient forgets b.
const [x, y] = [3, 1];
const f = ([w = 0, b = 0]: Float64Array) => (w * x + b - y) ** 2;
const grad = ([w = 0, b = 0]: Float64Array) => [2 * (w * x + b - y) * x, 0];
const names = ["w", "b"].map((name) => ({ name, shape: [] }));
const report = checkGradients({ f, grad, at: Float64Array.of(0.5, 0.25), names });
console.log(report.ok, report.failures.map((r) => r.name).join());
console.log(report.summary.split("\n")[0]);
