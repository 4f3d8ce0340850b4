export { fitLinearBaseline, linearBaselinePredict, regressionBaselines, symbolBaselines } from "./baselines.js";
export { epochBatches } from "./batches.js";
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
  readTrainConfig,
  SCHEDULES,
  TRAIN_LIMITS,
  type TrainConfig,
  validateTrainConfig,
} from "./config.js";
export type { CriterionResult, SolvedCriterion } from "./criterion.js";
export {
  CSV_DEFAULTS,
  type CsvSpec,
  csvColumns,
  csvSpec,
  csvTable,
  csvTableFor,
  csvTask,
  type DataSource,
  prepareSource,
  readCsvSpec,
  textTaskWith,
} from "./data.js";
export {
  EVAL_BYTES,
  type EvaluateOptions,
  evalBatchSize,
  evaluateSplit,
  evaluateStream,
  type SplitEvaluation,
  streamLanes,
  streamPairs,
} from "./evaluate.js";
export {
  type BatchInfo,
  DIVERGENCE,
  type FitEvents,
  type FitOptions,
  type FitResult,
  fit,
  type StopReason,
  validateFitOptions,
} from "./fit.js";
export { type EpochRecord, type FitState, validateFitState } from "./fit-state.js";
export { forecastSeries, type GenerateOptions, generateText, type SampleOptions, sampleLogits } from "./generate.js";
export { type GradientColumn, GradientHistory } from "./gradient-history.js";
export { classMetrics, regressionMetrics } from "./metrics.js";
export type { ModelTaskKind } from "./model/arrays.js";
export { type Evaluation, Model } from "./model/model.js";
export {
  type FitCallOptions,
  type HistoryEntry,
  MODEL_TASKS,
  type ModelOptions,
  type ModelTask,
} from "./model/options.js";
export {
  loadTrainedModel,
  readMetadata,
  readPreprocessing,
  readTrainingConfig,
  type TrainedModel,
} from "./model-sections.js";
export {
  type SeriesSource,
  type SymbolSplit,
  seriesTask,
  symbolTask,
  taskFromPreprocessing,
  textTask,
} from "./prepare.js";
export { PRESETS, presetByName } from "./presets/index.js";
export { type Preset, type Protocol, presetConfig, sizedLikePreset } from "./presets/preset.js";
export {
  buildParams,
  fitOptionsFor,
  modelConfigFor,
  type RunMetadata,
  type RunOptions,
  type RunOutput,
  type RunProtocol,
  reportFor,
  runTraining,
  sectionsFor,
  type TrainReport,
} from "./run.js";
export { type Batch, range, type Samples, symbolSamples, textSamples, windowSamples } from "./samples.js";
export {
  type ArrayPreprocessing,
  type Baselines,
  type ClassMetrics,
  isClassification,
  isRegression,
  type Metrics,
  type Prepared,
  type Preprocessing,
  type Published,
  type RegressionMetrics,
  reportSplit,
  type SeriesPreprocessing,
  type SplitName,
  type Task,
  type TaskKind,
  type TextStream,
} from "./task.js";
export {
  checkBoolean,
  checkChoice,
  checkInt,
  checkPositive,
  checkRange,
  describe as describeValue,
  LOOP_LIMITS,
} from "./validate.js";
