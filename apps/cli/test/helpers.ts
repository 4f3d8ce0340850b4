import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;
// --import resolves from the working directory, and tests run in temporary ones: pass tsx's absolute path.
const TSX = new URL("dist/loader.mjs", `file://${createRequire(import.meta.url).resolve("tsx/package.json")}`).href;
const NODE_ARGS = ["--conditions=@unrolled/source", "--import", TSX, MAIN];

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `unrolled …` as a user would (a fresh process) and captures everything. */
export function cli(args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [...NODE_ARGS, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, ...opts.env },
    encoding: "utf8",
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The same, asynchronously, so that several runs share the two cores. */
export function cliAsync(
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [...NODE_ARGS, ...args], {
      cwd: opts.cwd ?? process.cwd(),
      env: { ...process.env, ...opts.env },
    });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => {
      stdout += d;
    });
    p.stderr.on("data", (d) => {
      stderr += d;
    });
    p.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs `tasks` with at most `n` at once. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], n = 2): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await (tasks[i] as () => Promise<T>)();
      }
    }),
  );
  return out;
}

/** A fresh temporary directory with the given files (values are JSON-stringified unless strings). */
export function tempFiles(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "unrolled-cli-"));
  for (const [name, v] of Object.entries(files))
    writeFileSync(join(dir, name), typeof v === "string" ? v : JSON.stringify(v));
  return dir;
}

/** The contract for bad input: a non-zero exit, exactly one line on stderr, starting "unrolled: ". */
export function expectOneLineError(r: CliResult): string {
  if (r.code === 0) throw new Error(`expected a failure, got exit 0 with stdout ${r.stdout.slice(0, 200)}`);
  const lines = r.stderr.trimEnd().split("\n");
  if (lines.length !== 1 || !lines[0]?.startsWith("unrolled: "))
    throw new Error(`expected one "unrolled: …" line on stderr, got:\n${r.stderr}`);
  return lines[0];
}
