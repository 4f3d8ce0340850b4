import { ConfigError, FormatError, ShapeError } from "@unrolled/linalg";
import { describe, expect, it } from "vitest";
import fixture from "./__fixtures__/trajectories.json" with { type: "json" };
import { clipGradNorm, clipGradValue } from "./clip.js";
import { createOptimizer, type OptimizerConfig, restoreOptimizer } from "./create.js";
import { createSchedule, restoreSchedule, type ScheduleConfig } from "./schedule.js";

const maxRelDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let k = 0; k < a.length; k++)
    m = Math.max(m, Math.abs((a[k] as number) - (b[k] as number)) / Math.max(1, Math.abs(b[k] as number)));
  return m;
};

describe("optimizers replay PyTorch trajectories", () => {
  it("the fixture comes from the committed generator", () => {
    expect(fixture.version, "hint: re-run pnpm fixtures").toBe(1);
    expect(fixture.generator).toBe("packages/optimizers/src/__fixtures__/gen_trajectories.py");
  });

  for (const c of fixture.cases) {
    it(`${c.name}: every parameter after every one of ${c.params.length} steps matches to 1e-12`, () => {
      const theta = Float64Array.from(fixture.theta0);
      const opt = createOptimizer(c.config as OptimizerConfig, theta.length);
      let worst = 0;
      c.grads.forEach((g, step) => {
        opt.step(theta, Float64Array.from(g));
        worst = Math.max(worst, maxRelDiff(theta, c.params[step] as number[]));
      });
      expect(worst).toBeLessThanOrEqual(1e-12);
      expect(opt.t).toBe(c.params.length);
    });

    it(`${c.name}: state saved half-way through JSON restores an optimizer that ends bit-identical`, () => {
      const run = (split: boolean) => {
        const theta = Float64Array.from(fixture.theta0);
        let opt = createOptimizer(c.config as OptimizerConfig, theta.length);
        c.grads.forEach((g, step) => {
          if (split && step === 17) opt = restoreOptimizer(JSON.parse(JSON.stringify(opt.getState())), theta.length);
          opt.step(theta, Float64Array.from(g));
        });
        return Array.from(theta);
      };
      expect(run(true)).toEqual(run(false));
    });
  }

  it("float32 parameters are updated in place with float64 state", () => {
    const c = fixture.cases.find((x) => x.name === "adam") as (typeof fixture.cases)[number];
    const theta = Float32Array.from(fixture.theta0);
    const opt = createOptimizer(c.config as OptimizerConfig, theta.length);
    for (const g of c.grads) opt.step(theta, Float32Array.from(g));
    expect(maxRelDiff(theta, c.params[c.params.length - 1] as number[])).toBeLessThan(1e-5);
  });
});

describe("learning-rate schedules match PyTorch's", () => {
  for (const s of fixture.schedules) {
    it(`${JSON.stringify(s.config)}`, () => {
      const sched = createSchedule(s.config as ScheduleConfig, s.baseLr);
      s.lrs.forEach((lr, e) => {
        expect(Math.abs(sched.lr - lr) / lr).toBeLessThanOrEqual(1e-12);
        sched.step(s.metrics?.[e] ?? undefined);
      });
    });
  }

  it("schedule state round-trips through JSON", () => {
    const a = createSchedule({ kind: "plateau", patience: 0 }, 1);
    a.step(1);
    a.step(2);
    const b = restoreSchedule(JSON.parse(JSON.stringify(a.getState())));
    expect(b.step(3)).toBe(a.step(3));
    expect(() => restoreSchedule({ config: null })).toThrow(FormatError);
  });

  it("plateau needs a metric; bad schedule configs are ConfigErrors", () => {
    expect(() => createSchedule({ kind: "plateau" }, 0.1).step()).toThrow(ConfigError);
    expect(() => createSchedule({ kind: "step", stepSize: 0 }, 0.1)).toThrow(
      "StepLR: stepSize must be an integer ≥ 1, got 0",
    );
    expect(() => createSchedule({ kind: "cosine", tMax: 5 }, -1)).toThrow("schedule: baseLr must be > 0, got -1");
    expect(() => createSchedule({ kind: "plateau", factor: 1 }, 0.1)).toThrow(ConfigError);
    expect(() => createSchedule({ kind: "nope" } as never, 0.1)).toThrow(ConfigError);
  });
});

describe("gradient clipping matches torch.nn.utils", () => {
  for (const c of fixture.clip) {
    it(`clipGradNorm(maxNorm = ${c.maxNorm}) returns the norm before clipping and scales like PyTorch`, () => {
      const gs = c.grads.map((g) => Float64Array.from(g));
      expect(Math.abs(clipGradNorm(gs, c.maxNorm) - c.norm)).toBeLessThanOrEqual(1e-12 * c.norm);
      for (const [i, g] of gs.entries()) expect(maxRelDiff(g, c.clipped[i] as number[])).toBeLessThanOrEqual(1e-14);
    });
  }

  it("a non-finite gradient norm is returned and nothing is scaled", () => {
    const g = Float64Array.of(1, Number.NaN);
    expect(clipGradNorm(g, 1)).toBeNaN();
    expect(g[0]).toBe(1);
  });

  it("clipGradValue clamps into [−v, v]", () => {
    const g = Float64Array.of(-3, 0.5, 7);
    clipGradValue(g, 1);
    expect(Array.from(g)).toEqual([-1, 0.5, 1]);
    expect(() => clipGradValue(g, 0)).toThrow(ConfigError);
    expect(() => clipGradNorm(g, -1)).toThrow("clipGradNorm: maxNorm must be > 0, got -1");
  });
});

describe("optimizer arguments", () => {
  it("optimizers never touch the gradients they are given", () => {
    const g = Float64Array.of(1, -2, 3);
    const p = new Float64Array(3);
    for (const kind of ["sgd", "rmsprop", "adam", "adamw", "adagrad"] as const) {
      createOptimizer({ kind, lr: 0.1 } as OptimizerConfig, 3).step(p, g);
    }
    expect(Array.from(g)).toEqual([1, -2, 3]);
  });

  it("negative, zero or NaN hyperparameters throw ConfigError with the name and value", () => {
    expect(() => createOptimizer({ kind: "adam", lr: -1 }, 3)).toThrow("Adam: lr must be > 0, got -1");
    expect(() => createOptimizer({ kind: "sgd", lr: 0 }, 3)).toThrow("SGD: lr must be > 0, got 0");
    expect(() => createOptimizer({ kind: "sgd", lr: Number.NaN }, 3)).toThrow("SGD: lr must be > 0, got NaN");
    expect(() => createOptimizer({ kind: "adam", lr: 0.1, beta1: 1 }, 3)).toThrow(
      "Adam: beta1 must be in [0, 1), got 1",
    );
    expect(() => createOptimizer({ kind: "adamw", lr: 0.1, weightDecay: -0.1 }, 3)).toThrow(
      "AdamW: weightDecay must be ≥ 0, got -0.1",
    );
    expect(() => createOptimizer({ kind: "sgd", lr: 0.1, nesterov: true }, 3)).toThrow(ConfigError);
    expect(() => createOptimizer({ kind: "rmsprop", lr: 0.1, eps: 0 }, 3)).toThrow(ConfigError);
    expect(() => createOptimizer({ kind: "lbfgs", lr: 0.1 } as never, 3)).toThrow(/unknown kind "lbfgs"/);
  });

  it("step() checks sizes", () => {
    const opt = createOptimizer({ kind: "sgd", lr: 0.1 }, 3);
    expect(() => opt.step(new Float64Array(2), new Float64Array(3))).toThrow(ShapeError);
    expect(() => opt.step(new Float64Array(3), new Float64Array(4))).toThrow(
      "sgd.step: grads has shape [4], expected (P) = [3]",
    );
  });

  it("restoreOptimizer rejects malformed state with FormatError", () => {
    const good = createOptimizer({ kind: "adam", lr: 0.1 }, 2).getState();
    expect(() => restoreOptimizer(null, 2)).toThrow(FormatError);
    expect(() => restoreOptimizer({ ...good, version: 2 }, 2)).toThrow(
      "optimizer state: unsupported version 2, expected 1",
    );
    expect(() => restoreOptimizer({ ...good, kind: "x" }, 2)).toThrow(FormatError);
    expect(() => restoreOptimizer(good, 3)).toThrow('adam state: buffer "expAvg" must be an array of 3 numbers');
    expect(() => restoreOptimizer({ ...good, hyper: { ...good.hyper, lr: -1 } }, 2)).toThrow(
      "optimizer state: Adam: lr must be > 0, got -1",
    );
    expect(() => restoreOptimizer({ ...good, buffers: { ...good.buffers, expAvg: [0, null] } }, 2)).toThrow(
      FormatError,
    );
    expect(() => restoreOptimizer({ ...good, buffers: { ...good.buffers, extra: [0, 0] } }, 2)).toThrow(
      /unexpected buffer/,
    );
    expect(() => restoreOptimizer({ ...good, step: -1 }, 2)).toThrow(FormatError);
  });
});
