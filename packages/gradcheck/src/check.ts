/**
 * Gradient checking by central finite differences, in float64.
 *
 * For a scalar function f(θ) and a claimed gradient g = ∇f(θ), each checked coordinate k compares
 *     numeric_k  = (f(θ + ε e_k) − f(θ − ε e_k)) / 2ε          (error O(ε²) + O(ε_mach·|f| / ε))
 *     analytic_k = g_k
 * and passes when |analytic − numeric| ≤ atol + rtol · |numeric| (the rule of torch.allclose).
 * A directional check does the same along random unit directions v: (f(θ+εv) − f(θ−εv)) / 2ε vs g·v,
 * which sees every coordinate at once and so catches bugs that coordinate sampling skips.
 *
 * Defaults are as tight as float64 allows for losses of order 1: with ε = 1e-6 the truncation error
 * is about 1e-12·|f'''| and the rounding error about 1e-10·|f|, so atol = 1e-8 and rtol = 1e-6 leave a
 * margin of 100× and still catch a missing term. (torch.autograd.gradcheck uses ε = 1e-6, atol = 1e-5,
 * rtol = 1e-3.) For losses much larger than 1 raise atol in proportion.
 */
import { ConfigError, createRng, type Rng, ShapeError } from "@unrolled/linalg";
import { coordinateName, layoutOf, layoutSize, type TensorSlot, type TensorSpec } from "./layout.js";

export interface GradCheckOptions {
  /** The scalar function. Must not modify θ. */
  readonly f: (theta: Float64Array) => number;
  /** The analytic gradient at θ (same length as θ). Must not modify θ. */
  readonly grad: (theta: Float64Array) => ArrayLike<number>;
  /** The point to check at. Not modified. */
  readonly at: Float64Array;
  /** Names and shapes of the tensors that make up θ, in order; default one tensor called θ. */
  readonly names?: readonly TensorSpec[];
  /** Finite-difference step (default 1e-6). */
  readonly eps?: number;
  /** Absolute tolerance (default 1e-8). */
  readonly atol?: number;
  /** Relative tolerance (default 1e-6). */
  readonly rtol?: number;
  /** Check at most this many coordinates per tensor, drawn with `rng` (default: all of them). */
  readonly sample?: number;
  /** Random directional-derivative checks (default 3). */
  readonly directions?: number;
  /** Source of the sampled coordinates and directions (default: a generator seeded with 0). */
  readonly rng?: Rng;
}

export interface CoordinateResult {
  readonly name: string;
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
  readonly absErr: number;
  readonly relErr: number;
  readonly ok: boolean;
}

export interface TensorReport {
  readonly name: string;
  readonly shape: readonly number[];
  readonly checked: number;
  readonly failed: number;
  readonly maxAbsErr: number;
  readonly maxRelErr: number;
  /** The coordinate with the largest error relative to its tolerance (null for an empty tensor). */
  readonly worst: CoordinateResult | null;
}

export interface DirectionalResult {
  readonly analytic: number;
  readonly numeric: number;
  readonly absErr: number;
  readonly ok: boolean;
}

export interface GradCheckReport {
  readonly ok: boolean;
  readonly tensors: readonly TensorReport[];
  readonly directional: readonly DirectionalResult[];
  /** Every coordinate that failed, in order. */
  readonly failures: readonly CoordinateResult[];
  readonly checked: number;
  readonly maxRelErr: number;
  /** One line per failure (at most 10) then a totals line; the text to put in a test message. */
  readonly summary: string;
}

const fmt = (v: number): string => v.toExponential(3);

function validate(o: GradCheckOptions): { eps: number; atol: number; rtol: number; layout: TensorSlot[] } {
  const eps = o.eps ?? 1e-6;
  const atol = o.atol ?? 1e-8;
  const rtol = o.rtol ?? 1e-6;
  if (!(eps > 0) || !Number.isFinite(eps)) throw new ConfigError(`checkGradients: eps must be > 0, got ${eps}`);
  if (!(atol >= 0)) throw new ConfigError(`checkGradients: atol must be ≥ 0, got ${atol}`);
  if (!(rtol >= 0)) throw new ConfigError(`checkGradients: rtol must be ≥ 0, got ${rtol}`);
  if (o.sample !== undefined && !(Number.isInteger(o.sample) && o.sample > 0)) {
    throw new ConfigError(`checkGradients: sample must be a positive integer, got ${o.sample}`);
  }
  if (o.directions !== undefined && !(Number.isInteger(o.directions) && o.directions >= 0)) {
    throw new ConfigError(`checkGradients: directions must be a non-negative integer, got ${o.directions}`);
  }
  const layout = layoutOf(o.names ?? [{ name: "θ", shape: [o.at.length] }]);
  if (layoutSize(layout) !== o.at.length) {
    throw new ShapeError("checkGradients", "at", [o.at.length], [layoutSize(layout)], "(total size of names)");
  }
  return { eps, atol, rtol, layout };
}

/** Which coordinates of a tensor of `size` elements to check: all, or `sample` distinct ones. */
function pick(size: number, sample: number | undefined, rng: Rng): number[] {
  if (sample === undefined || sample >= size) return Array.from({ length: size }, (_, i) => i);
  return Array.from(rng.permutation(size).subarray(0, sample)).sort((a, b) => a - b);
}

/** Runs the check and returns a report; never throws because a gradient is wrong. */
export function checkGradients(o: GradCheckOptions): GradCheckReport {
  const { eps, atol, rtol, layout } = validate(o);
  const rng = o.rng ?? createRng(0);
  const theta = Float64Array.from(o.at);
  const g = o.grad(Float64Array.from(o.at));
  if (g.length !== theta.length)
    throw new ShapeError("checkGradients", "grad(θ)", [g.length], [theta.length], "(like θ)");

  const central = (dir: (t: Float64Array, s: number) => void): number => {
    dir(theta, +eps);
    const fp = o.f(theta);
    dir(theta, -2 * eps);
    const fm = o.f(theta);
    dir(theta, +eps);
    return (fp - fm) / (2 * eps);
  };
  const judge = (analytic: number, numeric: number) => {
    const absErr = Math.abs(analytic - numeric);
    return { absErr, ok: absErr <= atol + rtol * Math.abs(numeric) };
  };

  const tensors: TensorReport[] = [];
  const failures: CoordinateResult[] = [];
  let checked = 0;
  let maxRelErr = 0;
  for (const slot of layout) {
    let worst: CoordinateResult | null = null;
    let worstRatio = -1;
    let failed = 0;
    let maxAbs = 0;
    let maxRel = 0;
    const picks = pick(slot.size, o.sample, rng);
    for (const i of picks) {
      const k = slot.offset + i;
      const x0 = theta[k] as number;
      const numeric = central((t, s) => {
        t[k] = (t[k] as number) + s;
      });
      theta[k] = x0; // undo any rounding drift from the ±ε walk
      const analytic = g[k] as number;
      const { absErr, ok } = judge(analytic, numeric);
      const relErr = absErr === 0 ? 0 : absErr / Math.max(Math.abs(analytic), Math.abs(numeric));
      const r: CoordinateResult = { name: coordinateName(slot, i), index: k, analytic, numeric, absErr, relErr, ok };
      const ratio = Number.isNaN(absErr) ? Number.POSITIVE_INFINITY : absErr / (atol + rtol * Math.abs(numeric));
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = r;
      }
      if (!ok) {
        failed++;
        failures.push(r);
      }
      maxAbs = Math.max(maxAbs, absErr);
      maxRel = Math.max(maxRel, relErr);
    }
    checked += picks.length;
    maxRelErr = Math.max(maxRelErr, maxRel);
    tensors.push({
      name: slot.name,
      shape: slot.shape,
      checked: picks.length,
      failed,
      maxAbsErr: maxAbs,
      maxRelErr: maxRel,
      worst,
    });
  }

  const directional = checkDirections(o.directions ?? 3, rng, theta, g, central, judge);
  const ok = failures.length === 0 && directional.every((d) => d.ok);
  return {
    ok,
    tensors,
    directional,
    failures,
    checked,
    maxRelErr,
    summary: summarize(ok, failures, directional, checked, maxRelErr),
  };
}

function checkDirections(
  n: number,
  rng: Rng,
  theta: Float64Array,
  g: ArrayLike<number>,
  central: (dir: (t: Float64Array, s: number) => void) => number,
  judge: (a: number, n: number) => { absErr: number; ok: boolean },
): DirectionalResult[] {
  if (n === 0 || theta.length === 0) return [];
  const out: DirectionalResult[] = [];
  const base = Float64Array.from(theta);
  for (let d = 0; d < n; d++) {
    const v = rng.fillNormal(new Float64Array(theta.length));
    let norm = 0;
    for (let k = 0; k < v.length; k++) norm += (v[k] as number) ** 2;
    norm = Math.sqrt(norm);
    let analytic = 0;
    for (let k = 0; k < v.length; k++) {
      v[k] = (v[k] as number) / norm;
      analytic += (g[k] as number) * (v[k] as number);
    }
    const numeric = central((t, s) => {
      for (let k = 0; k < t.length; k++) t[k] = (t[k] as number) + s * (v[k] as number);
    });
    theta.set(base);
    out.push({ analytic, numeric, ...judge(analytic, numeric) });
  }
  return out;
}

function summarize(
  ok: boolean,
  failures: readonly CoordinateResult[],
  directional: readonly DirectionalResult[],
  checked: number,
  maxRelErr: number,
): string {
  const lines = failures
    .slice(0, 10)
    .map((r) => `${r.name} analytic=${fmt(r.analytic)} numeric=${fmt(r.numeric)} relErr=${fmt(r.relErr)} NOT OK`);
  if (failures.length > 10) lines.push(`… and ${failures.length - 10} more failing coordinates`);
  directional.forEach((d, i) => {
    if (!d.ok) lines.push(`direction ${i} analytic=${fmt(d.analytic)} numeric=${fmt(d.numeric)} NOT OK`);
  });
  lines.push(
    `${ok ? "OK" : "NOT OK"}: maxRelErr=${fmt(maxRelErr)} (${checked} coordinates, ${directional.length} directions checked)`,
  );
  return lines.join("\n");
}
