/**
 * CSV columns as numbers. A cell is a number (`1`, `-2.5`, `3e4`), missing (empty, NA, NaN, … — handled
 * by the missing-cell policy), or bad: text that is not a number, or a number beyond ±1e150, whose
 * square float64 cannot hold. A bad cell is an error naming its row, column and value — unless the
 * caller chose to skip such rows (`badRows: "skip"`), which drops the row and counts it. Columns are
 * typed arrays filled as the rows stream by, so a large file is never held as rows of strings.
 */
import { DataError } from "@unrolled/linalg";
import { columnIndex, eachRow, isMissing, type MissingPolicy, type TextTable } from "./csv.js";

export interface NumericTable {
  /** Column names, in the order asked for. */
  readonly names: readonly string[];
  /** One Float64Array per column, all of length `length`. */
  readonly columns: readonly Float64Array[];
  /** The date (or index) column's text per row, when one was asked for. */
  readonly dates: readonly string[] | null;
  readonly length: number;
  /** Rows dropped: with bad cells (badRows "skip") or missing ones (missing "drop"). */
  readonly dropped: number;
  /** Missing cells filled forward (missing "ffill"). */
  readonly filled: number;
}

/** What to do with a row holding a cell that is not a number: stop with an error naming it, or skip the row. */
export type BadRowPolicy = "error" | "skip";

export interface ColumnOptions {
  readonly missing?: MissingPolicy;
  readonly badRows?: BadRowPolicy;
  readonly dateColumn?: string | null;
  readonly source?: string;
  /** The fraction of the text read, now and then (large files). */
  readonly onProgress?: (done: number) => void;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Beyond this, a value's square overflows float64 (the scalers and baselines square values). */
export const MAX_VALUE = 1e150;

/** Reads the named columns row by row: add(fields, row) for each data row, then finish(). */
function columnReader(header: readonly string[], names: readonly string[], opts: ColumnOptions) {
  const source = opts.source ?? "CSV";
  const [missing, badRows] = [opts.missing ?? "ffill", opts.badRows ?? "error"];
  const idx = names.map((n) => columnIndex({ header }, n, source));
  const dateIdx = opts.dateColumn ? columnIndex({ header }, opts.dateColumn, source) : -1;
  let cols: Float64Array[] = idx.map(() => new Float64Array(1024));
  const dates: string[] | null = dateIdx >= 0 ? [] : null;
  const seen = new Array<boolean>(idx.length).fill(false); // a number was read in the column
  const row = new Float64Array(idx.length);
  let [n, dropped, filled] = [0, 0, 0];
  let problem: string | null = null; // a missing cell that cannot be handled, said once the columns are known not empty
  const hint = 'to skip rows like it, set badRows "skip"';
  const cell = (fields: readonly string[], k: number, r: number): number => {
    const text = (fields[idx[k] as number] as string).trim();
    if (isMissing(text)) return Number.NaN;
    const v = NUMBER.test(text) ? Number(text) : Number.NaN;
    if (Math.abs(v) <= MAX_VALUE) return v;
    if (badRows === "skip") return Number.POSITIVE_INFINITY; // a bad cell: the row is dropped
    const what = Number.isNaN(v) ? "is not a number" : `is beyond ±${MAX_VALUE}`;
    throw new DataError(`${source}: row ${r}, column "${names[k]}": "${text.slice(0, 20)}" ${what}; ${hint}`);
  };
  return {
    add(fields: readonly string[], r: number): void {
      for (let k = 0; k < idx.length; k++) row[k] = cell(fields, k, r);
      if (row.some((v) => v === Number.POSITIVE_INFINITY)) return void dropped++;
      for (let k = 0; k < idx.length; k++) if (!Number.isNaN(row[k] as number)) seen[k] = true;
      const gap = row.findIndex(Number.isNaN);
      if (gap >= 0 && missing === "drop") return void dropped++;
      if (gap >= 0 && (missing === "error" || n === 0)) {
        problem ??= `${source}: row ${r}, column "${names[gap]}" is missing${
          missing === "error"
            ? ', and missing cells are an error here (the "ffill" and "drop" policies handle them)'
            : " and there is no earlier value to fill forward"
        }`;
        return;
      }
      if (n === (cols[0] as Float64Array).length) cols = cols.map((c) => grow(c));
      for (let k = 0; k < idx.length; k++) {
        const v = row[k] as number;
        const col = cols[k] as Float64Array;
        if (Number.isNaN(v)) filled++;
        col[n] = Number.isNaN(v) ? (col[n - 1] as number) : v; // ffill: the previous kept row's value
      }
      dates?.push((fields[dateIdx] ?? "").trim().replace(/^"|"$/g, ""));
      n++;
    },
    finish(): NumericTable {
      seen.forEach((s, k) => {
        if (!s) throw new DataError(`${source}: column "${names[k]}" is empty in every row, expected numbers`);
      });
      if (problem !== null) throw new DataError(problem);
      if (n === 0)
        throw new DataError(`${source}: every row was dropped (${dropped} with bad or missing cells), nothing left`);
      return { names: [...names], columns: cols.map((c) => c.slice(0, n)), dates, length: n, dropped, filled };
    },
  };
}

function grow(c: Float64Array): Float64Array {
  const bigger = new Float64Array(2 * c.length);
  bigger.set(c);
  return bigger;
}

/** The named columns of parsed rows as numbers (see the file's header for the rules). */
export function numericColumns(t: TextTable, names: readonly string[], opts: ColumnOptions = {}): NumericTable {
  const reader = columnReader(t.header, names, opts);
  for (const [i, fields] of t.rows.entries()) reader.add(fields, i + 2);
  return reader.finish();
}

/** The named columns of CSV text as numbers, streamed: the text is never held as rows of strings. */
export function readNumericCsv(text: string, names: readonly string[], opts: ColumnOptions = {}): NumericTable {
  let reader: ReturnType<typeof columnReader> | null = null;
  eachRow(text, opts.source ?? "CSV", {
    header: (h) => {
      reader = columnReader(h, names, opts);
    },
    row: (fields, r) => reader?.add(fields, r),
    ...(opts.onProgress ? { progress: opts.onProgress } : {}),
  });
  return (reader as ReturnType<typeof columnReader> | null)?.finish() as NumericTable;
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
    ...t,
    columns: t.columns.map((c) => Float64Array.from(keep, (i) => c[i] as number)),
    dates: keep.map((i) => t.dates?.[i] as string),
    length: keep.length,
  };
}
