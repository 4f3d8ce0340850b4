/**
 * pnpm bench --quality — time to quality: the shakespeare-lstm configuration (2-layer LSTM 256, dropout
 * 0.2, float32, Adam 3e-3 with a cosine schedule, clipping at 5, batches of 32 × 128 characters) trained
 * by Unrolled, then by PyTorch (bench/quality.py, one thread) from the same initial weights, on the same
 * batches in the same order, with the same learning rate at every step. Each side reports the seconds
 * of training (validation excluded) until its validation loss, measured the same way (the streaming
 * evaluation of evaluate.ts), first reaches the target.
 *
 *   pnpm bench --quality [--target 1.7] [--every 49] [--seed 0]
 *
 * Validation runs every `every` batches (the preset's epoch of 245 batches, cut in five, so the cosine
 * schedule steps five times as often along the same curve). Dropout masks differ (each side draws its
 * own); everything else is the same numbers. Unrolled trains two validations past its own target, so
 * that PyTorch's run has the batches to go on if it needs a little longer.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDataset } from "@unrolled/datasets/node";
import {
  buildParams,
  type EpochRecord,
  fit,
  fitOptionsFor,
  presetByName,
  presetConfig,
  streamLanes,
  validateTrainConfig,
} from "@unrolled/train";

export interface QualityOptions {
  readonly target: number;
  readonly every: number;
  readonly seed: number;
  readonly python: string | null;
  readonly script: string;
}

export interface QualityPoint {
  readonly batches: number;
  readonly trainSeconds: number;
  readonly validLoss: number;
}

export interface QualitySide {
  readonly library: string;
  readonly points: readonly QualityPoint[];
  /** Training seconds when the validation loss first reached the target; null if it never did. */
  readonly seconds: number | null;
}

const EXTRA = 2; // validations Unrolled runs past its own target (batches PyTorch may need)
const now = () => performance.now() / 1000;

/** Trains both sides; PyTorch is left out (null) where python is null or the script fails. */
export async function runQuality(o: QualityOptions): Promise<{ unrolled: QualitySide; pytorch: QualitySide | null }> {
  const preset = presetByName("shakespeare-lstm");
  const base = presetConfig(preset, "default");
  const perEpoch = base.batchesPerEpoch ?? 245;
  const epochs = Math.round((base.epochs * perEpoch) / o.every);
  const cfg = validateTrainConfig({ ...base, seed: o.seed, batchesPerEpoch: o.every, epochs });
  const { text } = await readDataset(preset.dataset ?? "shakespeare");
  const { task } = preset.prepare(text, cfg);
  const p = buildParams(task, cfg);
  const dir = mkdtempSync(join(tmpdir(), "unrolled-quality-"));
  try {
    writeFileSync(join(dir, "weights.f32"), new Float32Array(p.flat));
    const batches: { x: Int32Array; y: Int32Array; lr: number }[] = [];
    const points: QualityPoint[] = [];
    let [trainSeconds, started, reached] = [0, 0, -1];
    const record = (r: EpochRecord) => {
      points.push({ batches: batches.length, trainSeconds, validLoss: r.validLoss });
      console.error(
        `  unrolled  ${batches.length} batches  ${trainSeconds.toFixed(1)} s  valid ${r.validLoss.toFixed(4)}`,
      );
      if (reached < 0 && r.validLoss <= o.target) reached = points.length;
    };
    await fit(p, task, fitOptionsFor(cfg), {
      shouldStop: () => {
        started = now();
        return reached > 0 && points.length >= reached + EXTRA;
      },
      onBatch: (b) => {
        trainSeconds += now() - started;
        const { x, target } = task.train.batch(b.indices, "float32");
        batches.push({ x: (x as { ids: Int32Array }).ids, y: target as Int32Array, lr: b.lr });
      },
      onEpoch: record,
    });
    const unrolled = side("unrolled", points, o.target);
    if (o.python === null) return { unrolled, pytorch: null };
    const stream = task.streams?.valid;
    if (!stream) throw new Error("shakespeare-lstm has no validation stream");
    const { lanes, len } = streamLanes(stream);
    writeInts(
      join(dir, "x.i32"),
      batches.map((b) => b.x),
    );
    writeInts(
      join(dir, "y.i32"),
      batches.map((b) => b.y),
    );
    writeFileSync(join(dir, "valid.i32"), stream.ids.slice(stream.start, stream.end));
    const plan = {
      dir,
      vocab: task.train.inputSize,
      hidden: cfg.hidden,
      layers: cfg.layers,
      dropout: cfg.dropout ?? 0,
      batchSize: cfg.batchSize,
      seqLen: cfg.seqLen,
      clipNorm: cfg.clipNorm ?? null,
      lr: batches.map((b) => b.lr),
      slots: p.slots.map((s) => ({ name: s.name, shape: s.shape, offset: s.offset, size: s.size })),
      validateAfter: points.map((q) => q.batches),
      valid: { lanes, len, chunk: 256 },
      target: o.target,
    };
    writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
    const r = spawnSync(o.python, [o.script, join(dir, "plan.json")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (r.status !== 0) {
      console.error(`pnpm bench --quality: bench/quality.py failed (exit ${r.status}); no PyTorch side`);
      return { unrolled, pytorch: null };
    }
    const theirs = JSON.parse(r.stdout.trim().split("\n").pop() as string) as QualityPoint[];
    return { unrolled, pytorch: side("pytorch", theirs, o.target) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function side(library: string, points: QualityPoint[], target: number): QualitySide {
  const first = points.find((q) => q.validLoss <= target);
  return { library, points, seconds: first ? first.trainSeconds : null };
}

/** Int32 arrays, one after another, as one little-endian file. */
function writeInts(file: string, parts: Int32Array[]): void {
  const all = new Int32Array(parts.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of parts) {
    all.set(a, at);
    at += a.length;
  }
  writeFileSync(file, all);
}
