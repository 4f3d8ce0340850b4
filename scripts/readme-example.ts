/**
 * Keeps every package README's example honest. The example lives in `examples/readme.ts`; the README
 * shows it verbatim in a ```ts block followed by a ```text block with its exact output. A package's
 * `readme.test.ts` calls `readmeExample(dir)` and then runs the file and compares what it printed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { format } from "node:util";

export interface ReadmeExample {
  /** The example's source, as in examples/readme.ts. */
  readonly code: string;
  /** The output block the README promises, one entry per line. */
  readonly expected: readonly string[];
  /** Non-blank lines of code in the example. */
  readonly lines: number;
}

export function readmeExample(pkgDir: string): ReadmeExample {
  const readme = readFileSync(join(pkgDir, "README.md"), "utf8");
  const outside = /\]\((\.\.\/[^)]*)\)/.exec(readme);
  if (outside)
    throw new Error(
      `${pkgDir}/README.md links to ${outside[1]}, outside the package: inside the tarball it breaks (link the repository)`,
    );
  const code = readFileSync(join(pkgDir, "examples", "readme.ts"), "utf8");
  const at = readme.indexOf(`\`\`\`ts\n${code}\`\`\``);
  if (at < 0) throw new Error(`${pkgDir}/README.md does not show examples/readme.ts verbatim in a \`\`\`ts block`);
  const rest = readme.slice(at + code.length + 9);
  const m = /^\s*(?:[^`\n]*\n\s*)?```text\n([\s\S]*?)```/.exec(rest);
  if (!m) throw new Error(`${pkgDir}/README.md: the example must be followed by a \`\`\`text block with its output`);
  const expected = (m[1] as string).replace(/\n$/, "").split("\n");
  return { code, expected, lines: code.split("\n").filter((l) => l.trim() !== "").length };
}

/** Runs `load` (a dynamic import of the example) and returns every line it printed with console.log. */
export async function captureLog(load: () => Promise<unknown>): Promise<string[]> {
  const out: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    out.push(format(...args)); // exactly what Node would print
  };
  try {
    await load();
  } finally {
    console.log = original;
  }
  return out.flatMap((s) => s.split("\n"));
}
