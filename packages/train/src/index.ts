export { fitLinearBaseline, linearBaselinePredict, regressionBaselines, symbolBaselines } from "./baselines.js";
export {
  type BenchOptions,
  type BenchResult,
  benchmark,
  timeWorkload,
  WORKLOAD_IDS,
  WORKLOADS,
  type Workload,
  type WorkloadId,
  workloadBatch,
  workloadFlops,
  workloadStep,
} from "./bench.js";
export { type Checkpoint, makeCheckpoint, readCheckpoint } from "./checkpoint.js";
export {
  BASE_CONFIG,
  OPTIMIZER_CHOICES,
  type OptimizerChoice,
  type TrainConfig,
  validateTrainConfig,
} from "./config.js";
export { type EvaluateOptions, evaluateSplit, evaluateStream, type SplitEvaluation, streamPairs } from "./evaluate.js";
export {
  type BatchInfo,
  type EpochRecord,
  type FitEvents,
  type FitOptions,
  type FitResult,
  fit,
  type StopReason,
  validateFitOptions,
} from "./fit.js";
export { type FitState, validateFitState } from "./fit-state.js";
export { forecastSeries, type GenerateOptions, generateText, type SampleOptions, sampleLogits } from "./generate.js";
export { classMetrics, regressionMetrics } from "./metrics.js";
export {
  type Preprocessing,
  type RunMetadata,
  readMetadata,
  readPreprocessing,
  readTrainingConfig,
} from "./model-sections.js";
export {
  type SeriesPreprocessing,
  type SeriesSource,
  type SymbolSplit,
  seriesTask,
  symbolTask,
  taskFromPreprocessing,
  textTask,
} from "./prepare.js";
export { PRESETS, type Prepared, type Preset, presetByName, presetConfig } from "./presets.js";
export {
  buildParams,
  fitOptionsFor,
  modelConfigFor,
  type RunOptions,
  type RunOutput,
  reportFor,
  runTraining,
  type TrainReport,
} from "./run.js";
export { type Batch, range, type Samples, symbolSamples, textSamples, windowSamples } from "./samples.js";
export {
  type Baselines,
  type ClassMetrics,
  isRegression,
  type Metrics,
  type RegressionMetrics,
  reportSplit,
  type SplitName,
  type Task,
  type TaskKind,
  type TextStream,
} from "./task.js";
