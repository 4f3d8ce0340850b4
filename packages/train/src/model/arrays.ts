/**
 * Plain JavaScript arrays in, checked and flattened: the sequences (each T_i steps of D features, T_i
 * free) and the targets (one per sequence, or one per step). Every problem is a DataError naming the
 * position in the caller's own terms — `xs[3][7] has 2 features, expected 3`, `ys[2] is NaN, expected
 * a finite number` — never a TypeError from deep inside.
 */
import { DataError } from "@unrolled/linalg";
import { describe } from "../validate.js";

/** Sequences of different lengths, their steps stacked: sequence i is rows offsets[i] … offsets[i+1] of data. */
export interface Sequences {
  readonly N: number;
  readonly D: number;
  /** (N) steps per sequence. */
  readonly lengths: Int32Array;
  /** (N + 1) the first row of each sequence in data, then the total. */
  readonly offsets: Int32Array;
  /** (Σ T_i, D) the steps, row-major. */
  readonly data: Float64Array;
}

export type ModelTaskKind = "regression" | "classification" | "multilabel";

/** The targets: one vector (or class) per sequence, or one per step of every sequence. */
export interface Targets {
  readonly perStep: boolean;
  /** Outputs per target: values (regression), classes (classification) or labels (multilabel). */
  readonly O: number;
  /** (rows, O) values or 0/1 labels, or (rows) class indices; rows = N, or Σ T_i per step. */
  readonly data: Float64Array | Int32Array;
  /** How the caller gave them: 1 = number[], 2 = number[][], 3 = number[][][] (predict answers in kind). */
  readonly rank: 1 | 2 | 3;
}

type Nested = ArrayLike<unknown>;
const isList = (v: unknown): v is Nested => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

function finite(v: unknown, where: string): number {
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new DataError(`${where} is ${describe(v)}, expected a finite number`);
  return v;
}

/**
 * xs: N sequences, each T_i steps of D numbers (`number[][][]`, or arrays of typed arrays); a sequence
 * may also be T_i plain numbers, one feature per step (`number[][]`). `D`, when given, is what the
 * model reads.
 */
export function readSequences(xs: unknown, name = "xs", D?: number): Sequences {
  if (!isList(xs) || xs.length === 0)
    throw new DataError(`${name} must be a non-empty array of sequences, got ${describe(xs)}`);
  const N = xs.length;
  const lengths = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const seq = xs[i];
    if (!isList(seq) || seq.length === 0)
      throw new DataError(`${name}[${i}] must be a non-empty array of steps, got ${describe(seq)}`);
    lengths[i] = seq.length;
  }
  const first = (xs[0] as Nested)[0];
  const d = D ?? (isList(first) ? first.length : 1);
  if (d < 1) throw new DataError(`${name}[0][0] has no features, expected at least 1`);
  const offsets = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) offsets[i + 1] = (offsets[i] as number) + (lengths[i] as number);
  const data = new Float64Array((offsets[N] as number) * d);
  for (let i = 0; i < N; i++) {
    const seq = xs[i] as Nested;
    for (let t = 0; t < seq.length; t++) {
      const row = ((offsets[i] as number) + t) * d;
      const step = seq[t];
      if (!isList(step)) {
        if (d !== 1) throw new DataError(`${name}[${i}][${t}] is ${describe(step)}, expected ${d} features`);
        data[row] = finite(step, `${name}[${i}][${t}]`);
        continue;
      }
      if (step.length !== d) throw new DataError(`${name}[${i}][${t}] has ${step.length} features, expected ${d}`);
      for (let k = 0; k < d; k++) data[row + k] = finite(step[k], `${name}[${i}][${t}][${k}]`);
    }
  }
  return { N, D: d, lengths, offsets, data };
}

/** One step's features (D numbers), checked: `x has 2 features, expected 3`, `x[1] is NaN, …`. */
export function readStep(x: unknown, D: number, name = "x"): Float64Array {
  if (!isList(x) || x.length !== D)
    throw new DataError(`${name} has ${isList(x) ? x.length : describe(x)} features, expected ${D}`);
  return Float64Array.from({ length: D }, (_, k) => finite(x[k], `${name}[${k}]`));
}

/**
 * ys for `task`, checked against the sequences: one target per sequence (regression `number[]` or
 * `number[][]`, classification `number[]`, multilabel `number[][]`) or one per step (regression and
 * multilabel `number[][][]`, classification `number[][]`) with each sequence's length. `O` and
 * `classes`, when given, are what the model was built for.
 */
export function readTargets(ys: unknown, task: ModelTaskKind, seqs: Sequences, name = "ys", O?: number): Targets {
  if (!isList(ys) || ys.length !== seqs.N)
    throw new DataError(`${name} must be an array of ${seqs.N} targets (one per sequence of xs), got ${describe(ys)}`);
  const first = ys[0];
  const depth = !isList(first) ? 1 : !isList((first as Nested)[0]) ? 2 : 3;
  if (task === "classification") {
    if (depth === 3) throw new DataError(`${name}[0][0] is an array; classification targets are class indices`);
    return classTargets(ys, seqs, name, depth === 2, O);
  }
  if (task === "multilabel" && depth === 1)
    throw new DataError(`${name}[0] is ${describe(first)}; multilabel targets are arrays of 0/1 labels`);
  const perStep = depth === 3;
  const rows = perStep ? (seqs.offsets[seqs.N] as number) : seqs.N;
  const o = O ?? (depth === 1 ? 1 : ((perStep ? (first as Nested)[0] : first) as Nested).length);
  const data = new Float64Array(rows * o);
  let r = 0;
  const put = (v: unknown, where: string) => {
    const vec = depth === 1 ? [v] : v;
    if (!isList(vec) || vec.length !== o)
      throw new DataError(`${where} has ${isList(vec) ? vec.length : describe(vec)} values, expected ${o}`);
    for (let k = 0; k < o; k++) {
      const x = finite(vec[k], depth === 1 ? where : `${where}[${k}]`);
      if (task === "multilabel" && x !== 0 && x !== 1) throw new DataError(`${where}[${k}] is ${x}, expected 0 or 1`);
      data[r * o + k] = x;
    }
    r++;
  };
  for (let i = 0; i < seqs.N; i++) {
    if (!perStep) put(ys[i], `${name}[${i}]`);
    else for (const [t, v] of Array.from(stepsOf(ys[i], seqs, i, name)).entries()) put(v, `${name}[${i}][${t}]`);
  }
  return { perStep, O: o, data, rank: depth as 1 | 2 | 3 };
}

/** Class indices, one per sequence or per step; the number of classes is the largest index + 1 unless given. */
function classTargets(ys: Nested, seqs: Sequences, name: string, perStep: boolean, classes?: number): Targets {
  const rows = perStep ? (seqs.offsets[seqs.N] as number) : seqs.N;
  const data = new Int32Array(rows);
  let r = 0;
  const put = (v: unknown, where: string) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || (classes !== undefined && v >= classes))
      throw new DataError(
        `${where} is ${describe(v)}, expected a class index${classes !== undefined ? ` in [0, ${classes})` : " ≥ 0"}`,
      );
    data[r++] = v;
  };
  for (let i = 0; i < seqs.N; i++) {
    if (!perStep) put(ys[i], `${name}[${i}]`);
    else for (const [t, v] of Array.from(stepsOf(ys[i], seqs, i, name)).entries()) put(v, `${name}[${i}][${t}]`);
  }
  let O = classes ?? 0;
  for (const c of data) O = Math.max(O, c + 1);
  if (O < 2) throw new DataError(`${name} holds one class only; classification needs at least 2`);
  return { perStep, O, data, rank: perStep ? 2 : 1 };
}

/** ys[i] as one target per step of sequence i. */
function stepsOf(v: unknown, seqs: Sequences, i: number, name: string): ArrayLike<unknown> {
  const T = seqs.lengths[i] as number;
  if (!isList(v) || v.length !== T)
    throw new DataError(`${name}[${i}] has ${isList(v) ? v.length : describe(v)} steps, expected ${T} (as xs[${i}])`);
  return v;
}
