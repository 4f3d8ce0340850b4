/**
 * Names for the coordinates of a flat parameter vector, so a failing check says `W_hh[3,7]`
 * instead of `θ[1234]`. A layout lists tensors in the order they sit in the flat vector.
 */
import { ConfigError } from "@unrolled/linalg";

export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

export interface TensorSlot extends TensorSpec {
  /** Index of the tensor's first element in the flat vector. */
  readonly offset: number;
  /** Number of elements (the product of the shape). */
  readonly size: number;
}

/** Lays tensors out back to back: offsets are running sums of sizes. */
export function layoutOf(specs: readonly TensorSpec[]): TensorSlot[] {
  let offset = 0;
  return specs.map((s) => {
    if (!s.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ConfigError(`layoutOf: ${s.name} has shape [${s.shape.join(", ")}], expected non-negative integers`);
    }
    const size = s.shape.reduce((a, b) => a * b, 1);
    const slot = { name: s.name, shape: s.shape, offset, size };
    offset += size;
    return slot;
  });
}

/** Total number of elements in a layout. */
export function layoutSize(layout: readonly TensorSlot[]): number {
  const last = layout[layout.length - 1];
  return last === undefined ? 0 : last.offset + last.size;
}

/** `W_hh[3,7]` for a flat index inside a tensor of shape [H, H] (row-major). */
export function coordinateName(slot: TensorSpec, indexInTensor: number): string {
  if (slot.shape.length === 0) return slot.name;
  const idx: number[] = [];
  let rest = indexInTensor;
  for (let d = slot.shape.length - 1; d >= 0; d--) {
    const n = slot.shape[d] as number;
    idx.unshift(rest % n);
    rest = Math.floor(rest / n);
  }
  return `${slot.name}[${idx.join(",")}]`;
}
