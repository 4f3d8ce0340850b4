import { ConfigError, type Matrix, type Tensor3 } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { BASE_CONFIG, type TrainConfig } from "./config.js";
import { type BatchInfo, fit, validateFitOptions } from "./fit.js";
import { presetByName } from "./presets/index.js";
import { buildParams, fitOptionsFor } from "./run.js";

// the sine preset, made small: 8 hidden units, a few epochs
const cfg: TrainConfig = { ...presetByName("sine").defaults, hidden: 8, epochs: 6, batchSize: 10 };
const prepared = () => presetByName("sine").prepare(null, cfg);

describe("fit", () => {
  it("lowers the validation loss", async () => {
    const { task } = prepared();
    const p = buildParams(task, cfg);
    const r = await fit(p, task, fitOptionsFor(cfg));
    expect(r.history).toHaveLength(6);
    expect((r.history[5]?.validLoss ?? 1) < (r.history[0]?.validLoss ?? 0)).toBe(true);
    expect(r.stopReason).toBe("completed");
  });

  it("is bit-identical for the same seed, and differs for another seed", async () => {
    const run = async (seed: number) => {
      const c = { ...cfg, seed };
      const { task } = presetByName("sine").prepare(null, c);
      const p = buildParams(task, c);
      await fit(p, task, fitOptionsFor(c));
      return Array.from(p.flat);
    };
    const a = await run(3);
    expect(await run(3)).toEqual(a);
    expect(await run(4)).not.toEqual(a);
  });

  it("resumed from a state captured mid-epoch, ends bit-identical to an uninterrupted run", async () => {
    const { task } = prepared();
    const whole = buildParams(task, cfg);
    const full = await fit(whole, task, fitOptionsFor(cfg));
    const part = buildParams(task, cfg);
    let n = 0;
    const first = await fit(part, task, fitOptionsFor(cfg), { shouldStop: () => n++ >= 23 }); // 23 batches: inside epoch 3
    expect(first.stopReason).toBe("interrupted");
    expect(first.state.batch).toBeGreaterThan(0);
    const state = JSON.parse(JSON.stringify(first.state)); // as a checkpoint file would hold it
    const resumed = buildParams(task, cfg);
    const rest = await fit(resumed, task, fitOptionsFor(cfg), {}, state);
    expect(Array.from(resumed.flat)).toEqual(Array.from(whole.flat));
    expect(rest.history.map((h) => h.validLoss)).toEqual(full.history.map((h) => h.validLoss));
    const stray = {
      ...state,
      order: state.order.map((b: number[], k: number) => (k === 0 ? [1e9, ...b.slice(1)] : b)),
    };
    await expect(fit(buildParams(task, cfg), task, fitOptionsFor(cfg), {}, stray)).rejects.toThrow(
      new RegExp(
        `^checkpoint: order holds sequence 1000000000, but the task has ${task.train.count} training sequences$`,
      ),
    );
  });

  it("with dropout (masks from the run's seeded stream, part of the state), a resumed run ends bit-identical", async () => {
    const c: TrainConfig = { ...cfg, layers: 2, dropout: 0.3, headDropout: 0.2, inputDropout: 0.1 };
    const { task } = presetByName("sine").prepare(null, c);
    const whole = buildParams(task, c);
    await fit(whole, task, fitOptionsFor(c));
    const part = buildParams(task, c);
    let n = 0;
    const first = await fit(part, task, fitOptionsFor(c), { shouldStop: () => n++ >= 17 });
    const resumed = buildParams(task, c);
    await fit(resumed, task, fitOptionsFor(c), {}, JSON.parse(JSON.stringify(first.state)));
    expect(Array.from(resumed.flat)).toEqual(Array.from(whole.flat));
    const without = buildParams(task, { ...c, dropout: 0, headDropout: 0 });
    await fit(without, task, fitOptionsFor(c));
    expect(Array.from(without.flat)).not.toEqual(Array.from(whole.flat)); // the masks did something
    const inputOnly = buildParams(task, cfg);
    await fit(inputOnly, task, { ...fitOptionsFor(cfg), inputDropout: 0.5 });
    const plain = buildParams(task, cfg);
    await fit(plain, task, fitOptionsFor(cfg));
    expect(Array.from(inputOnly.flat)).not.toEqual(Array.from(plain.flat)); // input dropout did something too
  });

  it("input dropout on token ids is refused with a message that says why", async () => {
    const p = presetByName("mod3");
    const c: TrainConfig = { ...p.defaults, epochs: 1, hidden: 4 };
    const { task } = p.prepare(null, c);
    await expect(fit(buildParams(task, c), task, { ...fitOptionsFor(c), inputDropout: 0.2 })).rejects.toThrow(
      "options.inputDropout applies to dense inputs; token ids have none to drop",
    );
  });

  it("an endless stream (the adding problem): fresh sequences every epoch; a criterion met stops as solved, resumably", async () => {
    const p = presetByName("adding");
    const c: TrainConfig = { ...p.defaults, seqLen: 20, trainSequences: 64, hidden: 4, epochs: 40, batchSize: 16 };
    const { task } = p.prepare(null, c);
    const first = task.train.batch([0, 1], "float64");
    const again = task.train.batch([64, 65], "float64"); // the same positions in epoch 2: other sequences
    expect(Array.from((again.target as Matrix<Float64Array>).data)).not.toEqual(
      Array.from((first.target as Matrix<Float64Array>).data),
    );
    const xOf = (b: typeof first) => Array.from((b.x as Tensor3<Float64Array>).data);
    expect(xOf(task.train.batch([0, 1], "float64"))).toEqual(xOf(first)); // made from its index
    // a lenient criterion, so that a tiny model meets it in a few epochs
    const lenient = { ...task, criterion: { window: 48, maxError: 0.45, maxMse: 0.05 } };
    const whole = buildParams(lenient, c);
    const r = await fit(whole, lenient, fitOptionsFor(c));
    expect(r.stopReason).toBe("solved");
    expect(r.state.sequences % 16).toBe(0);
    expect(r.state.sequences).toBeGreaterThanOrEqual(48);
    expect(r.message).toBe(`solved after ${r.state.sequences} training sequences: the last 48 each within 0.45`);
    expect(r.state.recent).toHaveLength(48);
    const part = buildParams(lenient, c);
    let n = 0;
    const cut = await fit(part, lenient, fitOptionsFor(c), { shouldStop: () => n++ >= 2 });
    expect(cut.stopReason).toBe("interrupted");
    const resumed = buildParams(lenient, c);
    const rest = await fit(resumed, lenient, fitOptionsFor(c), {}, JSON.parse(JSON.stringify(cut.state)));
    expect([rest.stopReason, rest.state.sequences]).toEqual(["solved", r.state.sequences]);
    expect(Array.from(resumed.flat)).toEqual(Array.from(whole.flat)); // the weights that met it, not the best epoch's
  });

  it("early stopping: stops after `patience` epochs without improvement and restores the best weights", async () => {
    const { task } = prepared();
    const p = buildParams(task, cfg);
    const r = await fit(p, task, { ...fitOptionsFor(cfg), epochs: 50, patience: 2, minDelta: 1e9 }); // nothing counts as better
    expect(r.stopReason).toBe("early-stopping");
    expect(r.history).toHaveLength(3);
    expect(r.bestEpoch).toBe(1);
    expect(Array.from(p.flat)).toEqual(r.state.best?.params);
    expect(r.message).toMatch(/no validation improvement for 2 epochs \(best: epoch 1\)/);
  });

  for (const kind of ["adam", "rmsprop", "adagrad", "adamw"] as const) {
    it(`${kind} at a huge learning rate: stops as diverged, keeps the best weights, says why`, async () => {
      const { task } = prepared();
      const p = buildParams(task, cfg);
      const r = await fit(p, task, { ...fitOptionsFor(cfg), optimizer: { kind, lr: 1e6 } });
      expect(r.stopReason).toMatch(/^(diverged|non-finite)$/);
      expect(r.message).toMatch(/diverged to \S+ after epoch \d+, over 10× the untrained model's|non-finite|became/);
      expect(Array.from(p.flat).every(Number.isFinite)).toBe(true);
    });
  }

  it("stops on a non-finite loss and keeps finite weights", async () => {
    const { task } = prepared();
    const p = buildParams(task, cfg);
    const r = await fit(p, task, { ...fitOptionsFor(cfg), optimizer: { kind: "sgd", lr: 1e300 } });
    expect(r.stopReason).toBe("non-finite");
    expect(r.message).toMatch(/became (non-finite|NaN|Infinity) at epoch \d+, step \d+/);
    expect(Array.from(p.flat).every(Number.isFinite)).toBe(true);
  });

  for (const shuffle of [false, true]) {
    it(`${shuffle ? "with" : "without"} shuffling, the batches are ${shuffle ? "a seeded permutation" : "in time order"}; the last, smaller batch is kept`, async () => {
      const c: TrainConfig = { ...cfg, shuffle, batchSize: 30, epochs: 1 };
      const { task } = presetByName("sine").prepare(null, c);
      const drawn: number[][] = []; // the windows of every batch, in the order they were trained on
      const batch = (i: ArrayLike<number>, d: "float64" | "float32") => {
        drawn.push(Array.from(i));
        return task.train.batch(i, d);
      };
      const recording = { ...task, train: { ...task.train, batch } };
      const seen: BatchInfo[] = [];
      await fit(buildParams(task, c), recording, fitOptionsFor(c), { onBatch: (b) => seen.push(b) });
      expect(seen.map((b) => b.step)).toEqual([1, 2, 3, 4]); // 100 windows: 30 + 30 + 30 + 10
      expect(drawn.map((b) => b.length)).toEqual([30, 30, 30, 10]);
      const all = drawn.flat();
      expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i)); // each window once
      if (shuffle) expect(all).not.toEqual([...all].sort((a, b) => a - b));
      else expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(seen[0]?.hiddenGradNorms[0]).toHaveLength(50);
      expect(seen.map((b) => b.indices)).toEqual(drawn); // what each batch held, as reported
      expect(seen.every((b) => b.lr === c.lr)).toBe(true);
    });
  }

  it("rejects zero, negative, NaN and mistyped options with one message naming the option", () => {
    const base = fitOptionsFor(BASE_CONFIG);
    expect(() => validateFitOptions({ ...base, epochs: 0 })).toThrow(
      "options.epochs must be an integer in [1, 1000000], got 0",
    );
    expect(() => validateFitOptions({ ...base, batchSize: -2 })).toThrow(ConfigError);
    expect(() => validateFitOptions({ ...base, clipNorm: Number.NaN })).toThrow(
      "options.clipNorm must be a number > 0, got NaN",
    );
    expect(() => validateFitOptions({ ...base, batchSize: "8" as never })).toThrow(
      'options.batchSize must be an integer in [1, 1048576], got "8" (a string)',
    );
    expect(() => validateFitOptions({ ...base, truncate: 0 })).toThrow(ConfigError);
    expect(() => validateFitOptions({ ...base, seed: 1.5 })).toThrow(ConfigError);
  });
});
