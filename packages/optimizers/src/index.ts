export { Adagrad, type AdagradConfig, adagradUpdate } from "./adagrad.js";
export { Adam, type AdamConfig, AdamW, adamUpdate } from "./adam.js";
export { clipGradNorm, clipGradValue } from "./clip.js";
export { createOptimizer, OPTIMIZER_KINDS, type OptimizerConfig, restoreOptimizer } from "./create.js";
export { BaseOptimizer, type Optimizer, type OptimizerKind, type OptimizerState } from "./optimizer.js";
export { Rmsprop, type RmspropConfig, rmspropUpdate } from "./rmsprop.js";
export { createSchedule, restoreSchedule, type Schedule, type ScheduleConfig, type ScheduleState } from "./schedule.js";
export { Sgd, type SgdConfig, sgdUpdate } from "./sgd.js";
