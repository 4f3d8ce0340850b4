import { chronologicalSplits, fitScaler, makeWindows, numericColumns, parseCsv, transform } from "@unrolled/datasets";

const csv = "date,temp\r\n2024-01-01,10\r\n2024-01-02,\r\n2024-01-03,14\r\n2024-01-04,13\r\n2024-01-05,16";
const t = numericColumns(parseCsv(csv), ["temp"], { dateColumn: "date", missing: "ffill" }); // pandas' ffill
const s = chronologicalSplits(t.length, [0.6, 0, 0.4]); // train rows [0, 3), test rows [3, 5)
const scaled = transform(fitScaler("minmax", t.columns, s.train.end), t.columns); // fitted on train only
const w = makeWindows(scaled, scaled, s.train, { seqLen: 2, mode: "many-to-one", horizon: 1 });
console.log(Array.from(t.columns[0] ?? []), w.x.dims, Array.from(w.y.data));
