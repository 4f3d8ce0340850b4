/**
 * How the CLI fails: one line on stderr, `unrolled: <what was wrong and what was expected>`, a non-zero
 * exit code, never a stack trace (set UNROLLED_DEBUG=1 to see one).
 */
import { UnrolledError } from "@unrolled/linalg";

/** A problem with what the user asked for (a file, a flag, a value). Exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * The library names a configuration's fields (`config.batchSize must be …`); a message that starts with
 * one came from the user's flags, so it is said with the flag (`--batch must be …`). A field named
 * inside a file's message ("checkpoint: config.lr …") stays as the file has it.
 */
/** The fields whose flag is not simply their name in kebab case (seqLen → --seq-len). */
const FLAG_OF: Readonly<Record<string, string>> = {
  batchSize: "--batch",
  truncate: "--tbptt",
};
const kebab = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
export function inFlags(message: string): string {
  return message
    .replace(/^(?:config|options)\.([A-Za-z]+)/, (_, key: string) => FLAG_OF[key] ?? kebab(key))
    .replace(/^initial params:/, "--init:")
    .replace(/set badRows "skip"/, "add --bad-rows skip");
}

/** Prints one line for `e` and returns the exit code to use. */
export function report(e: unknown): number {
  if (process.env.UNROLLED_DEBUG) console.error(e);
  if (e instanceof CliError || UnrolledError.isInstance(e)) {
    process.stderr.write(`unrolled: ${oneLine(inFlags((e as Error).message))}\n`);
    return 1;
  }
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(
    `unrolled: internal error: ${oneLine(msg)} (please report it; UNROLLED_DEBUG=1 shows the stack)\n`,
  );
  return 70;
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, "; ");
