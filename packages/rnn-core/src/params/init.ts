/**
 * Initialisers, all drawing from an explicit seeded Rng. fan_in / fan_out are those of each stacked gate
 * block (H rows of W_ih or W_hh), as PyTorch's nn.init computes them for a single (H, ·) matrix.
 *
 *   "pytorch"         every weight and bias ~ U(−1/√H, 1/√H); head ~ U(−1/√(H·dirs), 1/√(H·dirs))
 *                     (PyTorch's nn.RNN and nn.Linear defaults)
 *   "xavier-uniform"  W ~ U(−a, a), a = √(6 / (fan_in + fan_out));  biases 0      (Glorot & Bengio 2010)
 *   "xavier-normal"   W ~ N(0, 2 / (fan_in + fan_out));              biases 0
 *   "he-normal"       W ~ N(0, 2 / fan_in);                          biases 0      (He et al. 2015)
 *   "he-uniform"      W ~ U(−a, a), a = √(6 / fan_in);               biases 0
 *   "orthogonal"      W_hh blocks orthogonal (Saxe et al. 2014), other weights xavier-uniform, biases 0
 *   "normal"          W ~ N(0, std²) (std default 0.01: the tutorials' randn·0.01), biases 0
 *   "uniform"         W ~ U(low, high) (default U(0, 1): the sine tutorial), biases 0
 *   "irnn"            W_hh = I (each gate block), other weights ~ N(0, std²) (std default 0.001), biases 0:
 *                     Le, Jaitly & Hinton 2015's identity RNN, meant for the Elman cell with relu
 * `biases: "same"` draws biases from the weights' distribution instead of zero (the mod-3 tutorial).
 * `forgetBias` (LSTM) then sets the forget gate's bias, half in b_ih and half in b_hh.
 */
import { ConfigError, type FloatArray, Matrix, type Rng } from "@unrolled/linalg";
import type { ModelParams } from "./params.js";

export type InitScheme =
  | "pytorch"
  | "xavier-uniform"
  | "xavier-normal"
  | "he-normal"
  | "he-uniform"
  | "orthogonal"
  | "normal"
  | "uniform"
  | "irnn";

export const INIT_SCHEMES: readonly InitScheme[] = [
  "pytorch",
  "xavier-uniform",
  "xavier-normal",
  "he-normal",
  "he-uniform",
  "orthogonal",
  "normal",
  "uniform",
  "irnn",
];

export interface InitOptions {
  readonly scheme?: InitScheme;
  readonly rng: Rng;
  /** "normal": standard deviation (default 0.01); "irnn": of the non-recurrent weights (default 0.001). */
  readonly std?: number;
  /** "uniform": bounds (default 0 and 1). */
  readonly low?: number;
  readonly high?: number;
  /** Biases: "zero" (default except for "pytorch") or "same" as the weights. */
  readonly biases?: "zero" | "same";
  /**
   * LSTM only: start the forget gate's bias at this value (split evenly between b_ih and b_hh), so
   * that f = σ(…) starts near 1 and memory is kept by default (Gers et al. 2000; Jozefowicz et al. 2015).
   */
  readonly forgetBias?: number;
  /**
   * LSTM and GRU: chrono initialisation (Tallec & Ollivier 2018) for dependencies up to `chrono` steps.
   * Per unit, b_f = log u with u ~ U(1, chrono − 1), and the LSTM's input gate b_i = −b_f (the GRU's
   * update gate z takes b_f's role): memory starts kept for 1 … chrono steps and written sparingly. Set
   * in b_ih; those blocks of b_hh are 0.
   */
  readonly chrono?: number;
}

type Draw = (fanIn: number, fanOut: number) => (rng: Rng) => number;

function drawFor(o: InitOptions): Draw {
  const scheme = o.scheme ?? "pytorch";
  switch (scheme) {
    case "xavier-uniform":
    case "orthogonal":
      return (fi, fo) => (r) => r.uniform(-Math.sqrt(6 / (fi + fo)), Math.sqrt(6 / (fi + fo)));
    case "xavier-normal":
      return (fi, fo) => (r) => r.normal(0, Math.sqrt(2 / (fi + fo)));
    case "he-normal":
      return (fi) => (r) => r.normal(0, Math.sqrt(2 / fi));
    case "he-uniform":
      return (fi) => (r) => r.uniform(-Math.sqrt(6 / fi), Math.sqrt(6 / fi));
    case "normal":
    case "irnn": {
      const std = o.std ?? (scheme === "irnn" ? 0.001 : 0.01);
      if (!(std > 0) || !Number.isFinite(std)) throw new ConfigError(`init: std must be > 0, got ${std}`);
      return () => (r) => r.normal(0, std);
    }
    case "uniform": {
      const lo = o.low ?? 0;
      const hi = o.high ?? 1;
      if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi))
        throw new ConfigError(`init: need low < high, got [${lo}, ${hi})`);
      return () => (r) => r.uniform(lo, hi);
    }
    case "pytorch":
      return () => () => 0; // handled in initParams (its bound depends on H, not on fans)
    default:
      throw new ConfigError(
        `init: unknown scheme ${JSON.stringify(scheme)}, expected one of ${INIT_SCHEMES.join(", ")}`,
      );
  }
}

/** Fills `m` (R, C) with orthogonal rows or columns: Q of the QR decomposition of a normal matrix. */
export function orthogonalInto(m: Matrix<FloatArray>, rng: Rng): void {
  const [R, C] = [m.rows, m.cols];
  const tall = R >= C; // orthonormalise the C columns of an (R, C) matrix, or the R rows of a wide one
  const n = tall ? C : R; // vectors
  const len = tall ? R : C; // their length
  const v: Float64Array[] = Array.from({ length: n }, () => rng.fillNormal(new Float64Array(len)));
  for (let i = 0; i < n; i++) {
    const vi = v[i] as Float64Array;
    for (let pass = 0; pass < 2; pass++) {
      // modified Gram–Schmidt, twice for accuracy
      for (let j = 0; j < i; j++) {
        const vj = v[j] as Float64Array;
        let dot = 0;
        for (let k = 0; k < len; k++) dot += (vi[k] as number) * (vj[k] as number);
        for (let k = 0; k < len; k++) vi[k] = (vi[k] as number) - dot * (vj[k] as number);
      }
    }
    let norm = 0;
    for (let k = 0; k < len; k++) norm += (vi[k] as number) ** 2;
    norm = Math.sqrt(norm);
    for (let k = 0; k < len; k++) vi[k] = (vi[k] as number) / norm;
  }
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < len; k++) m.data[tall ? k * C + i : i * C + k] = (v[i] as Float64Array)[k] as number;
  }
}

/** Initialises every parameter of `p` in place (PyTorch state_dict order) and returns `p`. */
export function initParams(p: ModelParams, o: InitOptions): ModelParams {
  const scheme = o.scheme ?? "pytorch";
  const draw = drawFor(o);
  const H = p.config.hiddenSize;
  const biasesSame = (o.biases ?? (scheme === "pytorch" ? "same" : "zero")) === "same";
  for (const s of p.slots) {
    const m = p.tensors.get(s.name) as Matrix<FloatArray>;
    const isBias = s.role === "b_ih" || s.role === "b_hh" || s.role === "b_y";
    if (scheme === "pytorch") {
      const k = 1 / Math.sqrt(s.layer < 0 ? p.head.W_hy.cols : H);
      if (isBias && !biasesSame) m.data.fill(0);
      else o.rng.fillUniform(m.data, -k, k);
      continue;
    }
    if (isBias) {
      if (!biasesSame) m.data.fill(0);
      else {
        const d = draw(H, H);
        for (let i = 0; i < m.data.length; i++) m.data[i] = d(o.rng);
      }
      continue;
    }
    // weights: one gate block of H rows at a time (a single block for the RNN and the head)
    const blockRows = s.role === "W_hy" ? m.rows : H;
    for (let r0 = 0; r0 < m.rows; r0 += blockRows) {
      const block = m.data.subarray(r0 * m.cols, (r0 + blockRows) * m.cols);
      if (scheme === "orthogonal" && s.role === "W_hh") {
        orthogonalInto(new Matrix(blockRows, m.cols, block), o.rng);
      } else if (scheme === "irnn" && s.role === "W_hh") {
        block.fill(0);
        for (let j = 0; j < blockRows; j++) block[j * m.cols + j] = 1; // I
      } else {
        const d = draw(m.cols, blockRows);
        for (let i = 0; i < block.length; i++) block[i] = d(o.rng);
      }
    }
  }
  gateBiases(p, o);
  return p;
}

/** The gate biases forgetBias and chrono ask for (after everything else, so they draw last). */
function gateBiases(p: ModelParams, o: InitOptions): void {
  const { cell, bias, hiddenSize: H } = p.config;
  if (o.forgetBias !== undefined && !Number.isFinite(o.forgetBias))
    throw new ConfigError(`init: forgetBias must be a finite number, got ${o.forgetBias}`);
  if (o.chrono !== undefined) {
    if (!(Number.isFinite(o.chrono) && o.chrono > 2))
      throw new ConfigError(`init: chrono must be a number of steps > 2, got ${o.chrono}`);
    if (cell === "rnn" || !bias)
      throw new ConfigError(`init: chrono sets gate biases, so it needs an LSTM or GRU with biases, got ${cell}`);
    if (o.forgetBias !== undefined) throw new ConfigError("init: give forgetBias or chrono, not both");
  }
  for (const s of p.slots) {
    if (s.role !== "b_ih" && s.role !== "b_hh") continue;
    const b = (p.tensors.get(s.name) as Matrix<FloatArray>).data;
    if (o.forgetBias !== undefined && cell === "lstm") b.fill(o.forgetBias / 2, H, 2 * H); // the f block of i | f | g | o
    if (o.chrono === undefined) continue;
    // the LSTM's f and the GRU's z are both the second block (i | f | g | o, r | z | n)
    b.fill(0, cell === "lstm" ? 0 : H, 2 * H);
    if (s.role === "b_hh") continue;
    for (let j = 0; j < H; j++) {
      const bf = Math.log(o.rng.uniform(1, o.chrono - 1)); // (H) b_f
      b[H + j] = bf;
      if (cell === "lstm") b[j] = -bf; // b_i
    }
  }
}
