/**
 * CSV to numbers. Parsing (quotes, CRLF or LF, a last line without a newline) is papaparse's job; this
 * file turns the parsed cells into numeric columns and says exactly what is wrong when it cannot:
 * ragged rows, non-numeric cells, empty columns, unknown or duplicated names. Every error is a
 * DataError whose one-line message names the row, the column and what was expected.
 */
import { DataError } from "@unrolled/linalg";
import Papa from "papaparse";

/** Cells as text; `header` names every column (an empty header cell becomes `col<i>`). */
export interface TextTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** What to do with a missing cell (empty, NA, NaN, null, N/A — pandas' defaults). */
export type MissingPolicy = "ffill" | "drop" | "error";

export interface NumericTable {
  /** Column names, in the order asked for. */
  readonly names: readonly string[];
  /** One Float64Array per column, all of length `length`. */
  readonly columns: readonly Float64Array[];
  /** The date (or index) column's text per row, when one was asked for. */
  readonly dates: readonly string[] | null;
  readonly length: number;
}

const MISSING = new Set(["", "na", "nan", "null", "n/a", "none", "#n/a"]);
export const isMissing = (cell: string): boolean => MISSING.has(cell.trim().toLowerCase());

/** Parses CSV text with a header row. Blank lines are skipped; ragged rows are an error. */
export function parseCsv(text: string, source = "CSV"): TextTable {
  if (typeof text !== "string") throw new DataError(`${source}: expected text`);
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 byte-order mark
  const result = Papa.parse<string[]>(clean, { header: false, skipEmptyLines: "greedy", dynamicTyping: false });
  const fatal = result.errors.find((e) => e.type === "Quotes");
  if (fatal)
    throw new DataError(
      `${source}: row ${(fatal.row ?? 0) + 1}: ${fatal.message.toLowerCase()}, expected matching double quotes`,
    );
  const [head, ...rows] = result.data;
  if (!head || head.length === 0)
    throw new DataError(`${source}: no header row, expected column names on the first line`);
  const header = head.map((h, i) => (h.trim() === "" ? `col${i}` : h.trim()));
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h))
      throw new DataError(`${source}: column name "${h}" appears twice in the header, expected unique names`);
    seen.add(h);
  }
  rows.forEach((r, i) => {
    if (r.length !== header.length) {
      throw new DataError(`${source}: row ${i + 2} has ${r.length} fields, expected ${header.length} (as the header)`);
    }
  });
  if (rows.length === 0) throw new DataError(`${source}: no data rows after the header`);
  return { header, rows };
}

/** Index of `name` in the header, or a DataError listing the available columns. */
export function columnIndex(t: TextTable, name: string, source = "CSV"): number {
  const i = t.header.indexOf(name);
  if (i < 0) throw new DataError(`${source}: unknown column "${name}"; available: ${t.header.join(", ")}`);
  return i;
}

/** True when every non-missing cell of a column looks like a date (YYYY-MM or YYYY-MM-DD…). */
export function looksLikeDates(t: TextTable, col: number): boolean {
  let any = false;
  for (const r of t.rows) {
    const c = (r[col] ?? "").trim();
    if (isMissing(c)) continue;
    if (!/^\d{4}-\d{2}(-\d{2})?([ T].*)?$/.test(c)) return false;
    any = true;
  }
  return any;
}

/** The first column whose every non-missing cell looks like a date, or null: how a CSV's date column is found. */
export function detectDateColumn(t: TextTable): string | null {
  return t.header.find((_, i) => looksLikeDates(t, i)) ?? null;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The named columns as numbers, with missing cells handled by `missing`:
 *   "ffill" carries the last value forward (pandas' ffill; a missing first value is an error),
 *   "drop" drops every row with a missing cell in any of the columns, "error" refuses.
 */
export function numericColumns(
  t: TextTable,
  names: readonly string[],
  opts: { missing?: MissingPolicy; dateColumn?: string | null; source?: string } = {},
): NumericTable {
  const source = opts.source ?? "CSV";
  const missing = opts.missing ?? "ffill";
  const idx = names.map((n) => columnIndex(t, n, source));
  const dateIdx = opts.dateColumn ? columnIndex(t, opts.dateColumn, source) : -1;
  const raw = idx.map(() => new Float64Array(t.rows.length));
  t.rows.forEach((r, i) => {
    idx.forEach((c, k) => {
      const cell = (r[c] as string).trim();
      if (isMissing(cell)) (raw[k] as Float64Array)[i] = Number.NaN;
      else if (NUMBER.test(cell)) (raw[k] as Float64Array)[i] = Number(cell);
      else throw new DataError(`${source}: row ${i + 2}, column "${names[k]}": "${cell.slice(0, 20)}" is not a number`);
    });
  });
  raw.forEach((col, k) => {
    if (col.every(Number.isNaN))
      throw new DataError(`${source}: column "${names[k]}" is empty in every row, expected numbers`);
  });
  let keep = Array.from({ length: t.rows.length }, (_, i) => i);
  if (missing === "error") {
    raw.forEach((col, k) => {
      const i = col.findIndex(Number.isNaN);
      if (i >= 0)
        throw new DataError(
          `${source}: row ${i + 2}, column "${names[k]}" is missing, and missing cells are an error here (the "ffill" and "drop" policies handle them)`,
        );
    });
  } else if (missing === "drop") {
    keep = keep.filter((i) => raw.every((col) => !Number.isNaN(col[i] as number)));
    if (keep.length === 0)
      throw new DataError(`${source}: every row has a missing value, nothing left after dropping them`);
  } else {
    raw.forEach((col, k) => {
      if (Number.isNaN(col[0] as number))
        throw new DataError(
          `${source}: row 2, column "${names[k]}" is missing and there is no earlier value to fill forward`,
        );
      for (let i = 1; i < col.length; i++) if (Number.isNaN(col[i] as number)) col[i] = col[i - 1] as number;
    });
  }
  const columns = raw.map((col) => Float64Array.from(keep, (i) => col[i] as number));
  const dates = dateIdx >= 0 ? keep.map((i) => (t.rows[i]?.[dateIdx] ?? "").trim().replace(/^"|"$/g, "")) : null;
  return { names: [...names], columns, dates, length: keep.length };
}

/** Keeps the rows whose date column is in [from, to) (ISO dates compare as text). */
export function filterDates(t: NumericTable, from: string | null, to: string | null, source = "CSV"): NumericTable {
  if (t.dates === null) throw new DataError(`${source}: a date range needs a date column`);
  const keep = t.dates
    .map((d, i) => ((from === null || d >= from) && (to === null || d < to) ? i : -1))
    .filter((i) => i >= 0);
  if (keep.length === 0)
    throw new DataError(`${source}: no rows between ${from ?? "the start"} and ${to ?? "the end"}`);
  return {
    names: t.names,
    columns: t.columns.map((c) => Float64Array.from(keep, (i) => c[i] as number)),
    dates: keep.map((i) => t.dates?.[i] as string),
    length: keep.length,
  };
}
