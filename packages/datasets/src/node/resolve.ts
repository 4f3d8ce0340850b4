/**
 * Node only: finding a registry dataset's file. In order: an explicit path, then
 * `$UNROLLED_DATA_DIR/<file>`, then the cache (`~/.cache/unrolled/datasets`), then a download from the
 * dataset's source URL. Every file is checked against the registry's sha256 before it is used; a
 * download is written to a temporary file and renamed only once its checksum is right.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { DataError } from "@unrolled/linalg";
import { DATASETS, type DatasetInfo, datasetInfo } from "../registry.js";

export interface ResolveOptions {
  /** An explicit file to use instead of looking anywhere else. */
  readonly path?: string;
  /** Defaults to process.env.UNROLLED_DATA_DIR. */
  readonly dataDir?: string;
  /** Defaults to $XDG_CACHE_HOME/unrolled/datasets or ~/.cache/unrolled/datasets. */
  readonly cacheDir?: string;
  /** Allow a download when no local copy exists (default true). */
  readonly download?: boolean;
  /** For tests: the fetch to download with. */
  readonly fetch?: (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
}

export interface Resolved {
  readonly info: DatasetInfo;
  readonly path: string;
  readonly source: "path" | "UNROLLED_DATA_DIR" | "cache" | "download";
}

export const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

function verify(info: DatasetInfo, path: string): void {
  const got = sha256(readFileSync(path));
  if (got !== info.sha256) {
    throw new DataError(
      `${path}: sha256 is ${got.slice(0, 16)}…, expected ${info.sha256.slice(0, 16)}… for dataset "${info.name}" (a different or corrupted copy of ${info.file})`,
    );
  }
}

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "unrolled", "datasets");
}

/** Finds (or downloads) the file of registry dataset `name` and verifies its checksum. */
export async function resolveDataset(name: string, opts: ResolveOptions = {}): Promise<Resolved> {
  const info = datasetInfo(name);
  if (!info) throw new DataError(`unknown dataset "${name}"; available: ${DATASETS.map((d) => d.name).join(", ")}`);
  if (opts.path !== undefined) {
    if (!existsSync(opts.path)) throw new DataError(`${opts.path}: no such file`);
    verify(info, opts.path);
    return { info, path: opts.path, source: "path" };
  }
  const dataDir = opts.dataDir ?? process.env.UNROLLED_DATA_DIR;
  if (dataDir) {
    const p = join(dataDir, info.file);
    if (existsSync(p)) {
      verify(info, p);
      return { info, path: p, source: "UNROLLED_DATA_DIR" };
    }
  }
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const cached = join(cacheDir, info.file);
  if (existsSync(cached)) {
    verify(info, cached);
    return { info, path: cached, source: "cache" };
  }
  if (opts.download === false) {
    throw new DataError(
      `dataset "${name}": ${info.file} is not in $UNROLLED_DATA_DIR${dataDir ? ` (${dataDir})` : " (unset)"} or the cache (${cacheDir}), and downloads are off`,
    );
  }
  const fetcher = opts.fetch ?? (globalThis.fetch as NonNullable<ResolveOptions["fetch"]>);
  let bytes: Uint8Array;
  try {
    const res = await fetcher(info.url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw new DataError(
      `dataset "${name}": download from ${info.url} failed (${(e as Error).message}); set UNROLLED_DATA_DIR to a folder that holds ${info.file}`,
    );
  }
  const got = sha256(bytes);
  if (got !== info.sha256)
    throw new DataError(
      `dataset "${name}": the download's sha256 is ${got.slice(0, 16)}…, expected ${info.sha256.slice(0, 16)}…; not saved`,
    );
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${cached}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, cached);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { info, path: cached, source: "download" };
}

/** The text of a registry dataset (resolved and verified). */
export async function readDataset(
  name: string,
  opts: ResolveOptions = {},
): Promise<{ text: string; resolved: Resolved }> {
  const resolved = await resolveDataset(name, opts);
  return { text: readFileSync(resolved.path, "utf8"), resolved };
}
