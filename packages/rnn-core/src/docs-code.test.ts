import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The derivation pages quote the code of this package; a quoted line that no longer appears in the
// source is a page a learner checks against code that is not there (whitespace is not compared).
const DOCS = ["bptt.md", "lstm.md", "gru.md"];
const root = new URL("../../../", import.meta.url).pathname;
const norm = (line: string) => line.trim().replace(/\s+/g, " ");

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === "__fixtures__" ? [] : sources(p);
    return n.endsWith(".ts") && !n.endsWith(".test.ts") ? [p] : [];
  });
const code = new Set(
  sources(join(root, "packages/rnn-core/src")).flatMap((f) => readFileSync(f, "utf8").split("\n").map(norm)),
);

describe("code quoted in docs/ is the code in packages/rnn-core/src", () => {
  for (const doc of DOCS) {
    it(`docs/${doc}: every line of every \`\`\`ts block appears in the source`, () => {
      const text = readFileSync(join(root, "docs", doc), "utf8");
      const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
      const missing = blocks.flatMap((b) => b.split("\n").map(norm)).filter((l) => l !== "" && !code.has(l));
      expect(missing, `stale quotes in docs/${doc}`).toEqual([]);
    });
  }
});
