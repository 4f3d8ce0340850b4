import { FormatError } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import { makeCheckpoint, readCheckpoint } from "./checkpoint.js";
import { fit } from "./fit.js";
import { presetByName } from "./presets/index.js";
import { buildParams, fitOptionsFor } from "./run.js";

describe("checkpoints", () => {
  it("round-trip through JSON and validate every part", async () => {
    const cfg = { ...presetByName("sine").defaults, hidden: 4, epochs: 2 };
    const { task } = presetByName("sine").prepare(null, cfg);
    const p = buildParams(task, cfg);
    let n = 0;
    const r = await fit(p, task, fitOptionsFor(cfg), { shouldStop: () => n++ > 3 });
    const c = makeCheckpoint({
      preset: "sine",
      protocol: "default",
      data: null,
      config: cfg,
      model: p.config,
      state: r.state,
    });
    const back = readCheckpoint(JSON.parse(JSON.stringify(c)), task.train.count);
    expect(back.state.params).toEqual(r.state.params);
    expect(() => readCheckpoint({ ...c, format: "x" })).toThrow(FormatError);
    expect(() => readCheckpoint({ ...c, version: 3 })).toThrow("checkpoint: unsupported version 3, expected 2");
    expect(() => readCheckpoint({ ...c, config: { ...cfg, lr: -1 } })).toThrow(
      "checkpoint: config.lr must be a number > 0, got -1",
    );
    expect(() => readCheckpoint({ ...c, config: { ...cfg, lr: "0.01" } })).toThrow(
      'checkpoint: config.lr must be a number > 0, got "0.01" (a string)',
    );
    expect(() => readCheckpoint({ ...c, state: { ...c.state, params: [1, 2] } })).toThrow(
      /params must be \d+ finite numbers/,
    );
    expect(() => readCheckpoint({ ...c, state: { ...c.state, order: [[999]] } }, task.train.count)).toThrow(
      /order must be null or batches of sequence indices below 100/,
    );
    expect(() => readCheckpoint({ ...c, state: { ...c.state, rng: { algorithm: "mt" } } })).toThrow(FormatError);
    expect(() => readCheckpoint({ ...c, config: { ...cfg, hidden: 9 } })).toThrow(
      "checkpoint: config.hidden is 9 but the model's is 4",
    );
  });
});
