import { expect, it } from "vitest";
import { captureLog, readmeExample } from "../../../scripts/readme-example.js";

it("README example (examples/readme.ts) is shown verbatim, runs, and prints what the README says", async () => {
  const ex = readmeExample(new URL("..", import.meta.url).pathname);
  expect(ex.lines).toBeLessThanOrEqual(10);
  expect(await captureLog(() => import("../examples/readme.js"))).toEqual(ex.expected);
});
