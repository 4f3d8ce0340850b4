/**
 * One entry point over the three recurrences, so the model (stacks, directions, head) is written once:
 * each cell runs a whole sequence forward and backward over its own buffers (shared/sequence.ts), and
 * the buffer type says which cell it is.
 */
import type { FloatArray, Matrix } from "@unrolled/linalg";
import type { Nonlinearity } from "../config.js";
import { gruBackward, gruForward } from "../gru/gru.js";
import { lstmBackward, lstmForward } from "../lstm/lstm.js";
import type { CellParams } from "../params/params.js";
import { rnnBackward, rnnForward } from "../rnn/rnn.js";
import type { Sequence, SequenceInput } from "../shared/sequence.js";

/** Runs s's cell over its sequence (φ is the Elman cell's nonlinearity; the gated cells have their own). */
export function sequenceForward(p: CellParams, phi: Nonlinearity, s: Sequence, input: SequenceInput): void {
  if (s.cell === "rnn") rnnForward(p, phi, s, input);
  else if (s.cell === "lstm") lstmForward(p, s, input);
  else gruForward(p, s, input);
}

/** BPTT through s's cell: accumulates into grads and dx (see each cell's backward). */
export function sequenceBackward(
  p: CellParams,
  phi: Nonlinearity,
  s: Sequence,
  input: SequenceInput,
  dhs: Matrix<FloatArray>,
  grads: CellParams,
  dx: Matrix<FloatArray> | null,
  truncate: number,
): void {
  if (s.cell === "rnn") rnnBackward(p, phi, s, input, dhs, grads, dx, truncate);
  else if (s.cell === "lstm") lstmBackward(p, s, input, dhs, grads, dx, truncate);
  else gruBackward(p, s, input, dhs, grads, dx, truncate);
}
