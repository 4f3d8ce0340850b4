import { createRng, fromRows, matmulTransB, softmaxRows, toRows } from "@unrolled/linalg";

const x = fromRows([[1, 2, 3]]); // (B=1, D=3)
const W = fromRows([
  [0.5, 0, 0],
  [0, -1, 1],
]); // (H=2, D=3)
const a = matmulTransB(x, W); // x · Wᵀ without a transpose copy: (1, 2)
console.log(a.shape, toRows(a));
console.log(toRows(softmaxRows(a))[0]?.map((p) => p.toFixed(4)));
console.log(createRng(42).int(0, 100), createRng(42).int(0, 100)); // seeded: same twice
