import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { DOC, withTable } from "../scripts/param-table.js";

it("docs/model-format.md shows the parameter table paramSpec generates (hint: pnpm --filter @unrolled/rnn-core docs)", () => {
  const doc = readFileSync(DOC, "utf8");
  expect(doc).toBe(withTable(doc));
});
