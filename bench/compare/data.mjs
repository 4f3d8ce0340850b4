// The task every script here solves, identically: bit strings of 5 to 30 bits (1,000 of them, seeded);
// label 1 when a string holds more ones than zeros. 800 train, 200 held out.
import { createRng } from "@unrolled/linalg";

const rng = createRng(1);
export const strings = Array.from({ length: 1000 }, () =>
  Array.from({ length: rng.int(5, 31) }, () => [rng.int(0, 2)]),
);
export const label = (s) => (2 * s.filter(([bit]) => bit === 1).length > s.length ? 1 : 0);
export const [train, test] = [strings.slice(0, 800), strings.slice(800)];
