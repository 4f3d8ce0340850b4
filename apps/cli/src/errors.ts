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

/** Prints one line for `e` and returns the exit code to use. */
export function report(e: unknown): number {
  if (process.env.UNROLLED_DEBUG) console.error(e);
  if (e instanceof CliError || UnrolledError.isInstance(e)) {
    process.stderr.write(`unrolled: ${oneLine((e as Error).message)}\n`);
    return 1;
  }
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(
    `unrolled: internal error: ${oneLine(msg)} (please report it; UNROLLED_DEBUG=1 shows the stack)\n`,
  );
  return 70;
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, "; ");
