/**
 * ‖∂L/∂hₜ‖ over a whole run, for the heatmaps that show BPTT (time steps down, training batches across):
 * the first layer's norms of every batch, kept to at most `maxColumns` columns by thinning evenly as
 * the run grows — when full, every other column is dropped and only every second batch is kept from
 * then on — so a run of any length fits a picture.
 */
import type { BatchInfo } from "./fit.js";

export interface GradientColumn {
  /** The batch it was measured on, counted from 1 over the whole run. */
  readonly batch: number;
  /** (T) ‖∂L/∂hₜ‖ of the first layer, t = 0 … T−1. */
  readonly norms: readonly number[];
}

export class GradientHistory {
  readonly maxColumns: number;
  private stride = 1;
  private seen = 0;
  private kept: GradientColumn[] = [];

  constructor(maxColumns = 240) {
    this.maxColumns = Math.max(2, maxColumns);
  }

  /** Records one batch (an onBatch event). */
  add(info: Pick<BatchInfo, "hiddenGradNorms">): void {
    this.seen++;
    if ((this.seen - 1) % this.stride !== 0) return;
    this.kept.push({ batch: this.seen, norms: [...(info.hiddenGradNorms[0] ?? [])] });
    if (this.kept.length >= this.maxColumns) {
      this.kept = this.kept.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
    }
  }

  /** The columns kept, oldest first. */
  columns(): readonly GradientColumn[] {
    return this.kept;
  }
}
