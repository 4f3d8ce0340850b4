/**
 * The real datasets the tutorials use: where they come from, what is in them and their checksum.
 * Files are never shipped with the package; `@unrolled/datasets/node` finds or downloads them.
 */

export interface DatasetInfo {
  readonly name: string;
  readonly file: string;
  readonly description: string;
  readonly kind: "csv" | "text" | "piano-roll";
  /** Columns of a CSV (as `parseCsv` names them: an empty header cell is `col<i>`). */
  readonly columns: readonly string[];
  readonly dateColumn: string | null;
  readonly units: string;
  readonly url: string;
  readonly sha256: string;
  readonly bytes: number;
  /** CSV rows, text lines, or piano-roll frames. */
  readonly rows: number;
  readonly licence: string;
  readonly tutorial: string | null;
}

export const DATASETS: readonly DatasetInfo[] = [
  {
    name: "weather",
    file: "clean_weather.csv",
    description:
      "Daily max/min temperature (°F) and rain of one US station, 1970–2022 with gaps; tmax_tomorrow is the next row's tmax.",
    kind: "csv",
    columns: ["col0", "tmax", "tmin", "rain", "tmax_tomorrow"],
    dateColumn: "col0",
    units: "°F",
    url: "https://raw.githubusercontent.com/VikParuchuri/zero_to_gpt/c770a89b6be609feb503692604ddaee6b6fd8390/data/clean_weather.csv",
    sha256: "70d75ac02ccf0c0f45aed0077919fee302c6428b9f3c3401aadf090b0f6dfc8c",
    bytes: 406454,
    rows: 13509,
    licence: "CC BY-NC 4.0 (zero_to_gpt, V. Paruchuri); likely NOAA GHCN-Daily, unverified",
    tutorial: "weather-rnn.txt",
  },
  {
    name: "min-temp",
    file: "daily-min-temperatures.csv",
    description: "Daily minimum temperature (°C) in Melbourne, 1981–1990 (Australian Bureau of Meteorology).",
    kind: "csv",
    columns: ["Date", "Temp"],
    dateColumn: "Date",
    units: "°C",
    url: "https://raw.githubusercontent.com/jbrownlee/Datasets/master/daily-min-temperatures.csv",
    sha256: "8b9de63ed6789492bf497625e7f9beb96a63d367b4b0a21754006f749fa5e5da",
    bytes: 67921,
    rows: 3650,
    licence: "© Commonwealth of Australia (BoM), redistributed for teaching",
    tutorial: "min-temp-rnn.txt",
  },
  {
    name: "googl",
    file: "GOOGL.csv",
    description: "Alphabet class A daily prices (USD, split-adjusted), 2004-08-19 … 2023-06-09, Yahoo Finance.",
    kind: "csv",
    columns: ["Date", "Open", "High", "Low", "Close", "Adj Close", "Volume"],
    dateColumn: "Date",
    units: "$",
    url: "https://raw.githubusercontent.com/PotapovGN/Final-Project-HSE-NES-DS-2023/b8f55851a15ed06b0de0b1b3d5f2e66f5f7a2781/GOOGL.csv",
    sha256: "392e99fb06e2128e801111d3f8e86669fad464d232f3776fce1b180646417d29",
    bytes: 332729,
    rows: 4735,
    licence: "Yahoo Finance data; for local benchmarking only",
    tutorial: "googl-rnn.txt",
  },
  {
    name: "airline",
    file: "airline-passengers.csv",
    description: "Monthly international airline passengers (thousands), 1949–1960 (Box & Jenkins series G).",
    kind: "csv",
    columns: ["Month", "Passengers"],
    dateColumn: "Month",
    units: "thousand passengers",
    url: "https://raw.githubusercontent.com/jbrownlee/Datasets/7041c0cc3d65519cf5af38b3afa82087a7d80748/airline-passengers.csv",
    sha256: "8cb51be753a718d9be5d76d7e238cc224792754676adc21faa59e954b0201621",
    bytes: 2180,
    rows: 144,
    licence: "public teaching dataset (Time Series Data Library)",
    tutorial: null,
  },
  {
    name: "shakespeare",
    file: "tinyshakespeare.txt",
    description: "Tiny Shakespeare: 1,115,394 characters of plays, 65 distinct symbols (Karpathy's char-rnn).",
    kind: "text",
    columns: [],
    dateColumn: null,
    units: "nats/char",
    url: "https://raw.githubusercontent.com/karpathy/char-rnn/370cbcd448eb7daf32f21a6be560b70e0b33c4e3/data/tinyshakespeare/input.txt",
    sha256: "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
    bytes: 1115394,
    rows: 40000,
    licence: "public domain text; char-rnn is MIT",
    tutorial: null,
  },
  {
    name: "jsb",
    file: "jsb-chorales-quarter.json",
    description:
      "JSB Chorales: 382 Bach chorales (229 / 76 / 77) as 88-key piano rolls at quarter notes (Boulanger-Lewandowski et al. 2012).",
    kind: "piano-roll",
    columns: [],
    dateColumn: null,
    units: "nats/frame",
    url: "https://raw.githubusercontent.com/czhuang/JSB-Chorales-dataset/9a7f733ddb4ed91f48da64ac7f0f621c34aadd4d/jsb-chorales-quarter.json",
    sha256: "2db9329f1881a1d3f49703ec556bf1d6f84b4f6c1d702c156536e93cf31e1c91",
    bytes: 407200,
    rows: 23134,
    licence: "no licence file (czhuang/JSB-Chorales-dataset); the chorales are J. S. Bach's, public domain",
    tutorial: null,
  },
];

/** The registry entry called `name`, or undefined. */
export function datasetInfo(name: string): DatasetInfo | undefined {
  return DATASETS.find((d) => d.name === name);
}
