/** The messages between the page and the training worker. Parameters travel as one flat buffer. */
import type { Baselines, EpochRecord, TaskKind, TrainConfig } from "@unrolled/train";

/** What the page can change from its controls. */
export interface Controls {
  readonly cell: TrainConfig["cell"];
  readonly hidden: number;
  readonly layers: number;
  readonly seqLen: number;
  readonly optimizer: TrainConfig["optimizer"];
  readonly lr: number;
  readonly clipNorm: number | null;
  readonly tbptt: number | null;
  readonly seed: number;
  readonly epochs: number;
}

export type ToWorker =
  | { type: "init"; preset: string; controls: Controls; data: string | null }
  | { type: "init-csv"; csv: string; fileName: string; target: string | null; controls: Controls }
  | { type: "start" }
  | { type: "pause" }
  | { type: "step" }
  | { type: "sample"; temperature: number; length: number }
  | { type: "export"; format: "json" | "onnx" | "safetensors" }
  | { type: "load"; json: string };

/** Shape of one weight matrix inside the flat buffer. */
export interface WeightSlot {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly offset: number;
}

export interface Ready {
  readonly type: "ready";
  readonly task: TaskKind;
  readonly units: string;
  readonly notes: readonly string[];
  readonly baselines: Baselines;
  readonly evaluatedOn: "valid" | "test";
  readonly parameters: number;
  /** Which kernels train: "WebAssembly SIMD, 2 threads", or TypeScript and why. */
  readonly kernels: string;
  readonly config: TrainConfig;
  readonly weights: readonly WeightSlot[];
  /** A CSV session: its numeric columns and the target being predicted. */
  readonly columns: readonly string[];
  readonly target: string | null;
}

export type FromWorker =
  | Ready
  | { type: "batch"; epoch: number; step: number; steps: number; loss: number; batches: number; gradNorms: number[][] }
  | { type: "epoch"; record: EpochRecord; metric: { name: string; value: number; persistence: number | null } }
  | {
      type: "view";
      flat: Float64Array;
      hidden: { T: number; H: number; data: Float64Array };
      predictions: { pred: Float64Array; actual: Float64Array } | null;
    }
  /** `message`: why a run stopped early — a failure, or (solved) the task's criterion met. */
  | { type: "state"; running: boolean; epoch: number; done: boolean; message: string | null; solved: boolean }
  | { type: "text"; sample: string }
  | { type: "model"; data: string | Uint8Array; mime: string; fileName: string }
  | { type: "error"; message: string };
