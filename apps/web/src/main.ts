/**
 * The page: controls, and views drawn from what the training worker reports. No maths here — every
 * number comes from the worker, which runs the same @unrolled packages as the CLI.
 */
import type { Controls, FromWorker, Ready, ToWorker } from "./protocol.js";
import { drawHeatmap } from "./ui/heatmap.js";
import { drawLines } from "./ui/svg.js";

/** The presets the demo offers, and the dataset file each needs (bundled from $UNROLLED_DATA_DIR at build time). */
const PRESETS: readonly { name: string; file: string | null; controls: Partial<Controls> }[] = [
  { name: "sine", file: null, controls: { hidden: 16, seqLen: 50, lr: 0.01, epochs: 200 } },
  { name: "mod3", file: null, controls: { hidden: 16, seqLen: 10, lr: 0.01, epochs: 30 } },
  { name: "weather", file: "clean_weather.csv", controls: { hidden: 32, seqLen: 13, lr: 0.003, epochs: 25 } },
  { name: "min-temp", file: "daily-min-temperatures.csv", controls: { hidden: 16, seqLen: 30, lr: 0.003, epochs: 40 } },
  {
    name: "shakespeare",
    file: "tinyshakespeare.txt",
    controls: { hidden: 64, seqLen: 50, lr: 0.003, epochs: 100, clipNorm: 5 },
  },
  // long memory: try the rnn cell beside the lstm and watch the gradient reach (or not) the marked steps
  {
    name: "adding",
    file: null,
    controls: { cell: "lstm", hidden: 16, seqLen: 100, lr: 0.01, epochs: 40, clipNorm: 1 },
  },
];

const $ = <T extends HTMLElement | SVGSVGElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const send = (m: ToWorker) => worker.postMessage(m);

// ── what the views draw from ────────────────────────────────────────────────────────────────────
let info: Ready | null = null;
let batchLoss: [number, number][] = [];
let validLoss: [number, number][] = [];
let metric: [number, number][] = [];
let gradColumns: number[][] = []; // one column of ‖∂L/∂hₜ‖ per reported batch (first layer)
let dirty = true;
let lastView: Extract<FromWorker, { type: "view" }> | null = null;

function resetViews(): void {
  batchLoss = [];
  validLoss = [];
  metric = [];
  gradColumns = [];
  $("epoch").textContent = "0";
  $("batches").textContent = "0";
  $("loss").textContent = "—";
  $("metric").textContent = "—";
  $("solved").textContent = "";
  dirty = true;
}

function showError(message: string): void {
  $("error").textContent = message;
}

// ── controls ────────────────────────────────────────────────────────────────────────────────────
const num = (id: string): number | null => {
  const v = ($(id) as HTMLInputElement).value.trim();
  return v === "" ? null : Number(v);
};

/** Shows a validation message and yields no controls. */
function fail(message: string): null {
  showError(message);
  return null;
}

/** Reads and checks the controls; a bad value is an error line, not a broken run. */
function controls(): Controls | null {
  const c = {
    cell: ($("cell") as HTMLSelectElement).value as Controls["cell"],
    hidden: num("hidden") ?? 16,
    layers: num("layers") ?? 1,
    seqLen: num("seqLen") ?? 50,
    optimizer: ($("optimizer") as HTMLSelectElement).value as Controls["optimizer"],
    lr: num("lr") ?? 0.01,
    clipNorm: num("clip"),
    tbptt: num("tbptt"),
    seed: num("seed") ?? 0,
    epochs: num("epochs") ?? 100,
  };
  for (const [k, v, min] of [
    ["hidden units", c.hidden, 1],
    ["layers", c.layers, 1],
    ["sequence length", c.seqLen, 1],
    ["epochs", c.epochs, 1],
  ] as const) {
    if (!Number.isInteger(v) || v < min) return fail(`${k} must be an integer ≥ ${min}, got ${v}`);
  }
  if (!(c.lr > 0)) return fail(`learning rate must be > 0, got ${c.lr}`);
  if (c.clipNorm !== null && !(c.clipNorm > 0))
    return fail(`clip norm must be > 0 (or empty for off), got ${c.clipNorm}`);
  if (c.tbptt !== null && !(Number.isInteger(c.tbptt) && c.tbptt >= 1))
    return fail(`truncated BPTT must be an integer ≥ 1 (or empty), got ${c.tbptt}`);
  return c;
}

function applyPresetControls(name: string): void {
  const p = PRESETS.find((x) => x.name === name);
  const set = (id: string, v: number | null | undefined) => {
    if (v !== undefined) ($(id) as HTMLInputElement).value = v === null ? "" : String(v);
  };
  ($("cell") as HTMLSelectElement).value = p?.controls.cell ?? "rnn";
  set("hidden", p?.controls.hidden);
  set("seqLen", p?.controls.seqLen);
  set("lr", p?.controls.lr);
  set("epochs", p?.controls.epochs);
  set("clip", p?.controls.clipNorm ?? null);
}

let available = new Set<string>();
async function loadPreset(): Promise<void> {
  const name = ($("preset") as HTMLSelectElement).value;
  const c = controls();
  if (!c) return;
  showError("");
  resetViews();
  const p = PRESETS.find((x) => x.name === name);
  let data: string | null = null;
  if (p?.file) {
    const res = await fetch(`${import.meta.env.BASE_URL}data/${p.file}`);
    if (!res.ok) return showError(`${p.file} was not bundled with this build (set UNROLLED_DATA_DIR when building)`);
    data = await res.text();
  }
  send({ type: "init", preset: name, controls: c, data });
}

let csv: { text: string; name: string } | null = null;
function loadCsv(target: string | null): void {
  const c = controls();
  if (!c || !csv) return;
  showError("");
  resetViews();
  send({ type: "init-csv", csv: csv.text, fileName: csv.name, target, controls: c });
}

async function readCsvFile(file: File): Promise<void> {
  csv = { text: await file.text(), name: file.name };
  loadCsv(null);
}

// ── worker messages ─────────────────────────────────────────────────────────────────────────────
worker.addEventListener("message", (ev: MessageEvent<FromWorker>) => {
  const m = ev.data;
  switch (m.type) {
    case "ready": {
      info = m;
      showError("");
      $("params").textContent = `${m.parameters.toLocaleString()} parameters, ${m.config.cell} H=${m.config.hidden}`;
      $("params").title = m.kernels;
      $("kernels").textContent = m.kernels;
      $("notes").textContent = m.notes.join("\n");
      $("predictions").hidden = m.task !== "regression";
      $("pred-split").textContent = m.evaluatedOn;
      $("text").hidden = m.task !== "text";
      if (m.columns.length > 0) {
        const target = $("target") as HTMLSelectElement;
        target.replaceChildren(
          ...m.columns.map((c) =>
            Object.assign(document.createElement("option"), { value: c, textContent: c, selected: c === m.target }),
          ),
        );
        $("target-row").hidden = false;
      }
      dirty = true;
      break;
    }
    case "batch":
      $("batches").textContent = String(m.batches);
      $("loss").textContent = m.loss.toPrecision(4);
      batchLoss.push([m.batches, m.loss]);
      if (m.gradNorms[0]) gradColumns.push(m.gradNorms[0]);
      if (gradColumns.length > 240) gradColumns.shift();
      dirty = true;
      break;
    case "epoch":
      $("epoch").textContent = String(m.record.epoch);
      validLoss.push([batchLoss[batchLoss.length - 1]?.[0] ?? m.record.epoch, m.record.validLoss]);
      metric.push([m.record.epoch, m.metric.value]);
      $("metric").textContent = `${m.metric.name} ${m.metric.value.toPrecision(4)}`;
      dirty = true;
      break;
    case "view":
      lastView = m;
      dirty = true;
      break;
    case "state":
      ($("train") as HTMLButtonElement).disabled = m.running;
      ($("pause") as HTMLButtonElement).disabled = !m.running;
      if (m.message && m.solved) $("solved").textContent = m.message;
      else if (m.message) showError(`training stopped: ${m.message}`);
      break;
    case "text":
      $("sample-text").textContent = m.sample;
      break;
    case "model": {
      const url = URL.createObjectURL(new Blob([m.data as BlobPart], { type: m.mime }));
      const a = document.createElement("a");
      a.href = url;
      a.download = m.fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      break;
    }
    case "error":
      showError(m.message);
      ($("train") as HTMLButtonElement).disabled = false;
      ($("pause") as HTMLButtonElement).disabled = true;
      break;
  }
});

// ── drawing, at most once per frame ─────────────────────────────────────────────────────────────
function draw(): void {
  requestAnimationFrame(draw);
  if (!dirty) return;
  dirty = false;
  const logY = ($("log") as HTMLInputElement).checked;
  drawLines(
    $("loss-svg"),
    [
      { name: "training loss (batch)", points: batchLoss, color: "#94a3b8", width: 1 },
      { name: "validation loss (epoch)", points: validLoss, color: "#dc2626", width: 2 },
    ],
    { width: 520, height: 200, logY, xLabel: "batches" },
  );
  if (info) {
    const b = info.baselines;
    const value = (x: unknown) =>
      x && typeof x === "object"
        ? "rmse" in x
          ? (x as { rmse: number }).rmse
          : info?.task === "text"
            ? (x as { loss: number | null }).loss
            : (x as { accuracy: number }).accuracy
        : null;
    const last = metric[metric.length - 1]?.[0] ?? 1;
    const flat = (name: string, v: number | null, color: string) => ({
      name,
      points:
        v === null || v === undefined
          ? []
          : ([
              [1, v],
              [Math.max(last, 2), v],
            ] as [number, number][]),
      color,
      dashed: true,
    });
    const what =
      info.task === "regression"
        ? `RMSE (${info.units || "data units"})`
        : info.task === "text"
          ? "nats/char"
          : "accuracy";
    $("metric-caption").textContent =
      `Validation ${what} per epoch, beside the baselines (dashed) on the ${info.evaluatedOn === "test" ? "test" : "validation"} split`;
    drawLines(
      $("metric-svg"),
      [
        { name: `RNN, ${what}`, points: metric, color: "#2563eb", width: 2 },
        flat("persistence", value(b.persistence), "#9333ea"),
        flat(info.task === "regression" ? "mean" : "unigram / majority", value(b.mean), "#a3a3a3"),
        flat(info.task === "regression" ? "linear" : "bigram / per input", value(b.linear), "#16a34a"),
      ],
      { width: 520, height: 160, xLabel: "epochs" },
    );
  }
  if (gradColumns.length > 0) {
    const T = gradColumns[0]?.length ?? 0;
    const C = gradColumns.length;
    const vals = new Float64Array(T * C);
    for (let c = 0; c < C; c++) {
      const col = gradColumns[c] as number[];
      for (let t = 0; t < T; t++) vals[t * C + c] = col[t] ?? 0;
    }
    drawHeatmap($("bptt-canvas"), vals, T, C, { scale: "sequential", log: true });
  }
  if (lastView && info) {
    const { T, H, data } = lastView.hidden;
    const units = new Float64Array(H * T); // rows: units, columns: time
    for (let t = 0; t < T; t++) for (let h = 0; h < H; h++) units[h * T + t] = data[t * H + h] as number;
    drawHeatmap($("hidden-canvas"), units, H, T, { scale: "diverging" });
    if (lastView.predictions) {
      const { pred, actual } = lastView.predictions;
      const k = Math.min(200, pred.length);
      const off = pred.length - k;
      drawLines(
        $("pred-svg"),
        [
          {
            name: "actual",
            points: Array.from({ length: k }, (_, i) => [off + i, actual[off + i] as number] as [number, number]),
            color: "#f97316",
          },
          {
            name: "RNN",
            points: Array.from({ length: k }, (_, i) => [off + i, pred[off + i] as number] as [number, number]),
            color: "#2563eb",
          },
        ],
        { width: 520, height: 180, xLabel: "window" },
      );
    }
    drawWeights(lastView.flat);
  }
}

function drawWeights(flat: Float64Array): void {
  const grid = $("weight-grid");
  const slots = (info?.weights ?? []).filter((w) => w.rows > 1 || w.name.includes("weight"));
  if (grid.childElementCount !== slots.length) {
    grid.replaceChildren(
      ...slots.map((w) => {
        const box = document.createElement("div");
        const canvas = document.createElement("canvas");
        const scale = Math.max(1, Math.floor(96 / Math.max(w.rows, w.cols)));
        canvas.width = Math.max(8, w.cols * scale);
        canvas.height = Math.max(8, w.rows * scale);
        box.append(canvas, document.createElement("br"), `${w.name} (${w.rows}, ${w.cols})`);
        return box;
      }),
    );
  }
  slots.forEach((w, i) => {
    const canvas = grid.children[i]?.querySelector("canvas");
    if (canvas)
      drawHeatmap(canvas, flat.subarray(w.offset, w.offset + w.rows * w.cols), w.rows, w.cols, { scale: "diverging" });
  });
}

// ── wiring ──────────────────────────────────────────────────────────────────────────────────────
async function init(): Promise<void> {
  try {
    const res = await fetch(`${import.meta.env.BASE_URL}data/index.json`);
    if (res.ok) available = new Set(((await res.json()) as { files: string[] }).files);
  } catch {
    available = new Set();
  }
  const select = $("preset") as HTMLSelectElement;
  for (const p of PRESETS) {
    const o = document.createElement("option");
    o.value = p.name;
    o.textContent = p.file && !available.has(p.file) ? `${p.name} (data not bundled)` : p.name;
    o.disabled = p.file !== null && !available.has(p.file);
    select.append(o);
  }
  select.addEventListener("change", () => {
    csv = null;
    $("target-row").hidden = true;
    applyPresetControls(select.value);
    void loadPreset();
  });
  const reset = () => (csv ? loadCsv(($("target") as HTMLSelectElement).value || null) : void loadPreset());
  $("reset").addEventListener("click", reset);
  // a changed control starts a fresh model with it (the session was built from the controls)
  for (const id of ["cell", "hidden", "layers", "seqLen", "optimizer", "lr", "clip", "tbptt", "seed", "epochs"])
    $(id).addEventListener("change", reset);
  $("train").addEventListener("click", () => {
    ($("train") as HTMLButtonElement).disabled = true;
    send({ type: "start" });
  });
  $("pause").addEventListener("click", () => send({ type: "pause" }));
  $("step").addEventListener("click", () => send({ type: "step" }));
  $("download").addEventListener("click", () => send({ type: "export", format: "json" }));
  $("download-onnx").addEventListener("click", () => send({ type: "export", format: "onnx" }));
  $("download-safetensors").addEventListener("click", () => send({ type: "export", format: "safetensors" }));
  $("load").addEventListener("change", async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    resetViews();
    send({ type: "load", json: await file.text() });
    (e.target as HTMLInputElement).value = "";
  });
  $("csv-input").addEventListener("change", (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) void readCsvFile(file);
  });
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const file = e.dataTransfer?.files[0];
    if (file) void readCsvFile(file);
  });
  $("target").addEventListener("change", () => loadCsv(($("target") as HTMLSelectElement).value));
  $("log").addEventListener("change", () => (dirty = true));
  $("temperature").addEventListener(
    "input",
    () => ($("temp-value").textContent = ($("temperature") as HTMLInputElement).value),
  );
  $("sample").addEventListener("click", () =>
    send({ type: "sample", temperature: Number(($("temperature") as HTMLInputElement).value), length: 300 }),
  );
  let beats = 0;
  setInterval(() => ($("heartbeat").textContent = String(++beats)), 50);
  applyPresetControls(select.value);
  await loadPreset();
  requestAnimationFrame(draw);
}

void init();
