/**
 * Reading CSV text. Parsing (quotes, CRLF or LF, a last line without a newline) is papaparse's job,
 * row by row so that a large file is never held as rows of strings; this file checks the shape and says
 * exactly what is wrong when it cannot: ragged rows, broken quotes, no header, duplicated names. Every
 * error is a DataError whose one-line message names the row and what was expected. Rows are numbered as
 * a spreadsheet shows them: the header is row 1, blank lines are not counted.
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

const MISSING = new Set(["", "na", "nan", "null", "n/a", "none", "#n/a"]);
export const isMissing = (cell: string): boolean => MISSING.has(cell.trim().toLowerCase());

/** What eachRow calls: with the header, with every data row, and now and then with the fraction read. */
export interface RowHandlers {
  header?(header: readonly string[]): void;
  row(fields: readonly string[], row: number): void;
  progress?(done: number): void;
}

/**
 * Streams the rows of CSV text: the header first (returned, and given to `on.header`), then
 * `on.row(fields, row)` for every data row, `row` being its spreadsheet number (2 for the first).
 * Blank lines are skipped; a row with another number of fields than the header, broken quotes, a
 * missing header or duplicated names are DataErrors. `on.progress` gets the fraction read every 64k rows.
 */
export function eachRow(text: string, source: string, on: RowHandlers): string[] {
  if (typeof text !== "string") throw new DataError(`${source}: expected text`);
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 byte-order mark
  let header: string[] | null = null;
  let row = 1;
  Papa.parse<string[]>(clean, {
    header: false,
    skipEmptyLines: "greedy",
    dynamicTyping: false,
    step: (r) => {
      const quotes = r.errors.find((e) => e.type === "Quotes");
      if (quotes)
        throw new DataError(
          `${source}: row ${row + (header ? 1 : 0)}: ${quotes.message.toLowerCase()}, expected matching double quotes`,
        );
      const fields = r.data;
      if (header === null) {
        header = headerOf(fields, source);
        on.header?.(header);
        return;
      }
      row++;
      if (fields.length !== header.length)
        throw new DataError(
          `${source}: row ${row} has ${fields.length} fields, expected ${header.length} (as the header)`,
        );
      on.row(fields, row);
      if (on.progress && row % 65536 === 0) on.progress(r.meta.cursor / clean.length);
    },
  });
  if (header === null) throw new DataError(`${source}: no header row, expected column names on the first line`);
  if (row === 1) throw new DataError(`${source}: no data rows after the header`);
  return header;
}

function headerOf(head: readonly string[], source: string): string[] {
  if (head.length === 0 || (head.length === 1 && head[0]?.trim() === ""))
    throw new DataError(`${source}: no header row, expected column names on the first line`);
  const header = head.map((h, i) => (h.trim() === "" ? `col${i}` : h.trim()));
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h))
      throw new DataError(`${source}: column name "${h}" appears twice in the header, expected unique names`);
    seen.add(h);
  }
  return header;
}

/** Parses CSV text with a header row into rows of text (for small files; large ones stream: eachRow). */
export function parseCsv(text: string, source = "CSV"): TextTable {
  const rows: (readonly string[])[] = [];
  const header = eachRow(text, source, { row: (fields) => rows.push(fields) });
  return { header, rows };
}

/** Index of `name` in the header, or a DataError listing the available columns. */
export function columnIndex(t: Pick<TextTable, "header">, name: string, source = "CSV"): number {
  const i = t.header.indexOf(name);
  if (i < 0) throw new DataError(`${source}: unknown column "${name}"; available: ${t.header.join(", ")}`);
  return i;
}

const DATE = /^\d{4}-\d{2}(-\d{2})?([ T].*)?$/;

/** True when every non-missing cell of a column looks like a date (YYYY-MM or YYYY-MM-DD…). */
export function looksLikeDates(t: TextTable, col: number): boolean {
  let any = false;
  for (const r of t.rows) {
    const c = (r[col] ?? "").trim();
    if (isMissing(c)) continue;
    if (!DATE.test(c)) return false;
    any = true;
  }
  return any;
}

/** The first column whose every non-missing cell looks like a date, or null: how a CSV's date column is found. */
export function detectDateColumn(t: TextTable): string | null {
  return t.header.find((_, i) => looksLikeDates(t, i)) ?? null;
}

/** A CSV's header, its number of data rows and its date column, read without keeping the rows. */
export function inspectCsv(
  text: string,
  source = "CSV",
): { header: string[]; rows: number; dateColumn: string | null } {
  let dated: boolean[] = [];
  let any: boolean[] = [];
  let rows = 0;
  const header = eachRow(text, source, {
    header: (h) => ([dated, any] = [h.map(() => true), h.map(() => false)]),
    row: (fields) => {
      rows++;
      fields.forEach((f, i) => {
        const c = f.trim();
        if (!dated[i] || isMissing(c)) return;
        if (DATE.test(c)) any[i] = true;
        else dated[i] = false;
      });
    },
  });
  const i = header.findIndex((_, k) => dated[k] && any[k]);
  return { header, rows, dateColumn: i >= 0 ? (header[i] as string) : null };
}
