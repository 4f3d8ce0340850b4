/** Reading the user's files with clear errors, and writing ours atomically (temp file, then rename). */
import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { assertJsonDepth } from "@unrolled/linalg";
import { CliError } from "./errors.js";

/** What a failed file operation's error means, in words. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EISDIR: "it is a directory",
  EACCES: "permission denied",
  ENOSPC: "the disk is full",
  ENAMETOOLONG: "the name is too long",
};
function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code !== undefined ? REASONS[code] : undefined) ?? (e as Error).message;
}

/** The text of `path`; `what` names it in errors ("model file", "input file", …). */
export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new CliError(`cannot read ${what} ${path}: ${reason(e)}`);
  }
}

/** The bytes of `path` (a binary model file); `what` names it in errors. */
export function readBytes(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CliError(`cannot read ${what} ${path}: ${reason(e)}`);
  }
}

/** Parsed JSON from `path`. */
export function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  assertJsonDepth(text, `${what} ${path}`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${what} ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Temporaries are `.NAME.unrolled-tmp-PID-TIME` beside their target: hidden, and ours by name. */
const TMP_MARK = ".unrolled-tmp-";
/** Temporaries this process is writing: removed if it exits midway (Ctrl-C, an error). */
const writing = new Set<string>();
process.on("exit", () => {
  for (const tmp of writing) rmQuietly(tmp);
});

function rmQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // nothing more to do: the one-line error about the write itself is what the user needs
  }
}

/** True when process `pid` is running (or we may not signal it, which also means it exists). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes temporaries of `target` that a killed run (SIGKILL, power loss) left behind. */
function removeStaleTemporaries(target: string): void {
  const prefix = `.${basename(target).slice(0, 100)}${TMP_MARK}`;
  let names: string[];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split("-")[0]);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmQuietly(join(dirname(target), name));
  }
}

/** Refuses a target that exists and is not a regular file (a device, a directory, a pipe). */
function checkTarget(path: string, target: string): void {
  let st: Stats;
  try {
    st = lstatSync(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENAMETOOLONG") throw new CliError(`cannot write ${path}: the name is too long`);
    if (code === "ENOTDIR") throw new CliError(`cannot write ${path}: a part of its directory is a file`);
    return; // absent: it will be created
  }
  if (st.isSymbolicLink()) {
    try {
      st = statSync(target);
    } catch {
      return; // a dangling link is replaced like an absent file
    }
  }
  if (!st.isFile()) throw new CliError(`cannot write ${path}: it exists and is not a regular file`);
}

/**
 * Checks, before any work, that output `path` (given as `flag`) may be written: not a device or a
 * directory, and none of the run's input files, which it would replace.
 */
export function checkOutput(
  flag: string,
  path: string,
  inputs: readonly (readonly [string, string | undefined])[],
): void {
  checkTarget(path, resolve(path));
  for (const [input, from] of inputs)
    if (from !== undefined && resolve(from) === resolve(path))
      throw new CliError(
        `${flag} ${path} is also the ${input} file: choose another name, so the input is not replaced`,
      );
}

/**
 * Writes `data` to `path` so that the file is either complete or untouched: write a temporary file
 * beside it until every byte is out, flush, then rename over the target (atomic on one
 * filesystem). A full disk, an error or Ctrl-C midway leaves the target as it was and no temporary.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const target = resolve(path);
  const dir = dirname(target);
  checkTarget(path, target);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CliError(
      `cannot write ${path}: cannot create directory ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  removeStaleTemporaries(target);
  const tmp = join(dir, `.${basename(target).slice(0, 100)}${TMP_MARK}${process.pid}-${Date.now().toString(36)}`);
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  writing.add(tmp);
  try {
    const fd = openSync(tmp, "wx");
    try {
      // writeSync may write fewer bytes than asked (a full disk ends with ENOSPC on a later call)
      for (let at = 0; at < bytes.length; ) {
        const n = writeSync(fd, bytes, at, bytes.length - at);
        if (n <= 0) throw Object.assign(new Error("no bytes written"), { code: "ENOSPC" });
        at += n;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    rmQuietly(tmp);
    throw new CliError(`cannot write ${path}: ${reason(e)}; nothing was changed`);
  } finally {
    writing.delete(tmp);
  }
}
